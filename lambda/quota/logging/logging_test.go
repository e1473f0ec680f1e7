package logging

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrock"
	"github.com/aws/aws-sdk-go-v2/service/bedrock/types"

	"ccwb.dev/contract/testenv"
	"ccwb.dev/lambda/quota/store/storetest"
)

var ctx = context.Background()

func event(typ cfn.RequestType, props map[string]any, old map[string]any) cfn.Event {
	return cfn.Event{RequestType: typ, ResourceProperties: props, OldResourceProperties: old, PhysicalResourceID: PhysicalID}
}

func props(mode, group string) map[string]any {
	return map[string]any{"Mode": mode, "Region": "us-east-1", "LogGroupName": group, "RoleArn": "arn:aws:iam::123456789012:role/ccwb-delivery", "TextDelivery": "false"}
}

func TestInvocationLoggingResource(t *testing.T) {
	url := testenv.Moto(t)
	creds, _ := storetest.Options(url)
	b := bedrock.New(bedrock.Options{Region: storetest.Region, BaseEndpoint: aws.String(url), Credentials: creds})
	r := &Resource{Bedrock: b}
	live := func() *types.LoggingConfig {
		o, err := b.GetModelInvocationLoggingConfiguration(ctx, &bedrock.GetModelInvocationLoggingConfigurationInput{})
		if err != nil {
			t.Fatal(err)
		}
		return o.LoggingConfig
	}

	id, _, err := r.Handle(ctx, event(cfn.RequestCreate, props(Create, "/ccwb/bedrock"), nil))
	if err != nil || id != PhysicalID {
		t.Fatalf("create on an empty Region: %v %v", id, err)
	}
	c := live()
	if !Ours(c, "/ccwb/bedrock", "arn:aws:iam::123456789012:role/ccwb-delivery") || aws.ToBool(c.TextDataDeliveryEnabled) || aws.ToBool(c.ImageDataDeliveryEnabled) ||
		c.EmbeddingDataDeliveryEnabled == nil || aws.ToBool(c.EmbeddingDataDeliveryEnabled) || c.S3Config != nil {
		t.Errorf("the configuration written is not ours and metadata only: %+v", c)
	}
	// An update that renames the log group replaces our own configuration.
	if _, _, err := r.Handle(ctx, event(cfn.RequestUpdate, props(Create, "/ccwb/bedrock2"), props(Create, "/ccwb/bedrock"))); err != nil {
		t.Fatalf("update of our configuration: %v", err)
	}
	if got := aws.ToString(live().CloudWatchConfig.LogGroupName); got != "/ccwb/bedrock2" {
		t.Errorf("after the update the log group is %s", got)
	}
	// A second deployment, or another tool's configuration, is never replaced.
	_, _, err = r.Handle(ctx, event(cfn.RequestCreate, props(Create, "/other/deployment"), nil))
	if err == nil || !strings.Contains(err.Error(), `already configured in us-east-1 (log group /ccwb/bedrock2); ccwb will not replace it: set quota.invocation_logging to "join"`) {
		t.Errorf("create over another configuration: %v", err)
	}
	if got := aws.ToString(live().CloudWatchConfig.LogGroupName); got != "/ccwb/bedrock2" {
		t.Errorf("the refused create changed the configuration to %s", got)
	}
	// Join: the named log group must be the live one; nothing is written.
	if _, _, err := r.Handle(ctx, event(cfn.RequestCreate, props(Join, "/ccwb/bedrock2"), nil)); err != nil {
		t.Errorf("join the live log group: %v", err)
	}
	if _, _, err := r.Handle(ctx, event(cfn.RequestCreate, props(Join, "/wrong"), nil)); err == nil || !strings.Contains(err.Error(), `set quota.existing_log_groups["us-east-1"] to "/ccwb/bedrock2"`) {
		t.Errorf("join another log group: %v", err)
	}
	// Deleting a joined resource, or another deployment's, leaves the configuration.
	for _, p := range []map[string]any{props(Join, "/ccwb/bedrock2"), props(Create, "/other/deployment")} {
		if _, _, err := r.Handle(ctx, event(cfn.RequestDelete, p, nil)); err != nil || !Configured(live()) {
			t.Errorf("delete of %v removed the configuration (%v)", p, err)
		}
	}
	if _, _, err := r.Handle(ctx, event(cfn.RequestDelete, props(Create, "/ccwb/bedrock2"), nil)); err != nil || Configured(live()) {
		t.Errorf("delete of our own configuration: %v, live %+v", err, live())
	}
	if _, _, err := r.Handle(ctx, event(cfn.RequestCreate, props(Join, "/x"), nil)); err == nil || !strings.Contains(err.Error(), "has no model invocation logging") {
		t.Errorf("join with nothing to join: %v", err)
	}
}

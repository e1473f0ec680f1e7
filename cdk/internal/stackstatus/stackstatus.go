// Package stackstatus reports the deployed state of a deployment's stacks (CloudFormation
// DescribeStacks) and whether the local outputs file still matches them.
package stackstatus

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/smithy-go"

	"ccwb.dev/cdk/internal/stackoutputs"
)

// API is the part of the CloudFormation client this package uses.
type API interface {
	DescribeStacks(ctx context.Context, in *cloudformation.DescribeStacksInput, opts ...func(*cloudformation.Options)) (*cloudformation.DescribeStacksOutput, error)
}

// Stack is one stack's deployed state.
type Stack struct {
	Name    string            `json:"name"`
	Exists  bool              `json:"exists"`
	Status  string            `json:"status,omitempty"`
	Reason  string            `json:"reason,omitempty"`
	Updated *time.Time        `json:"updated,omitempty"`
	Outputs map[string]string `json:"outputs,omitempty"`
}

// Report is the state of every stack and of the outputs file.
type Report struct {
	Stacks      []Stack `json:"stacks"`
	OutputsFile string  `json:"outputs_file"`
	// OutputsCurrent is true when the outputs file holds exactly the deployed stacks' outputs.
	OutputsCurrent bool `json:"outputs_current"`
	// Differences explain why the outputs file is not current.
	Differences []string `json:"differences,omitempty"`
}

// Check describes the stacks and compares their outputs with the outputs file (nil: no file).
func Check(ctx context.Context, api API, stacks []string, outputsFile string, file stackoutputs.Outputs) (*Report, error) {
	r := &Report{OutputsFile: outputsFile}
	for _, name := range stacks {
		s, err := describe(ctx, api, name)
		if err != nil {
			return nil, err
		}
		r.Stacks = append(r.Stacks, s)
	}
	r.Differences = compare(r.Stacks, file)
	r.OutputsCurrent = len(r.Differences) == 0
	return r, nil
}

func describe(ctx context.Context, api API, name string) (Stack, error) {
	out, err := api.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(name)})
	if NotExist(err) {
		return Stack{Name: name}, nil
	}
	if err != nil {
		return Stack{}, fmt.Errorf("describe stack %s: %w", name, err)
	}
	if len(out.Stacks) == 0 {
		return Stack{Name: name}, nil
	}
	cs := out.Stacks[0]
	s := Stack{Name: name, Exists: true, Status: string(cs.StackStatus), Reason: aws.ToString(cs.StackStatusReason), Outputs: map[string]string{}}
	if cs.LastUpdatedTime != nil {
		s.Updated = cs.LastUpdatedTime
	} else {
		s.Updated = cs.CreationTime
	}
	for _, o := range cs.Outputs {
		s.Outputs[aws.ToString(o.OutputKey)] = aws.ToString(o.OutputValue)
	}
	return s, nil
}

// Outputs are the outputs of the stack name as deployed (nil when it is not deployed).
func (r *Report) Outputs(name string) map[string]string {
	for _, s := range r.Stacks {
		if s.Name == name {
			return s.Outputs
		}
	}
	return nil
}

// NotExist is whether err is CloudFormation's answer about a stack that does not exist
// (a ValidationError saying so; asked by name, a deleted stack does not exist either:
// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStacks.html).
func NotExist(err error) bool {
	var apiErr smithy.APIError
	return errors.As(err, &apiErr) && apiErr.ErrorCode() == "ValidationError" && strings.Contains(apiErr.ErrorMessage(), "does not exist")
}

// compare lists how the outputs file differs from the deployed stacks.
func compare(stacks []Stack, file stackoutputs.Outputs) []string {
	var diffs []string
	if file == nil {
		return []string{"no outputs file: run `ccwb deploy`, or `ccwb package --from-cloudformation`"}
	}
	for _, s := range stacks {
		got, inFile := file[s.Name]
		switch {
		case !s.Exists && inFile:
			diffs = append(diffs, fmt.Sprintf("%s: in the outputs file but not deployed", s.Name))
		case s.Exists && !inFile:
			diffs = append(diffs, fmt.Sprintf("%s: deployed but not in the outputs file", s.Name))
		case s.Exists:
			keys := map[string]bool{}
			for k := range s.Outputs {
				keys[k] = true
			}
			for k := range got {
				keys[k] = true
			}
			for _, k := range slices.Sorted(maps.Keys(keys)) {
				if s.Outputs[k] != got[k] {
					diffs = append(diffs, fmt.Sprintf("%s: output %s is %q deployed but %q in the outputs file", s.Name, k, s.Outputs[k], got[k]))
				}
			}
		}
	}
	return diffs
}

// WriteText writes the report as a table of stacks, their outputs, and the outputs file's state.
func (r *Report) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STACK\tSTATUS\tUPDATED")
	for _, s := range r.Stacks {
		status, updated := "NOT DEPLOYED", "-"
		if s.Exists {
			status = s.Status
			if s.Updated != nil {
				updated = s.Updated.UTC().Format(time.RFC3339)
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", s.Name, status, updated)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, s := range r.Stacks {
		if len(s.Outputs) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s outputs:\n", s.Name)
		for _, k := range slices.Sorted(maps.Keys(s.Outputs)) {
			fmt.Fprintf(w, "  %s = %s\n", k, s.Outputs[k])
		}
	}
	if r.OutputsCurrent {
		fmt.Fprintf(w, "\noutputs file %s is current\n", r.OutputsFile)
		return nil
	}
	fmt.Fprintf(w, "\noutputs file %s is NOT current:\n", r.OutputsFile)
	for _, d := range r.Differences {
		fmt.Fprintf(w, "  - %s\n", d)
	}
	return nil
}

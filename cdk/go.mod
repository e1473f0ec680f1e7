module ccwb.dev/cdk

go 1.25.0

require (
	ccwb.dev/client v0.0.0
	ccwb.dev/constructs v0.0.0
	ccwb.dev/lambda v0.0.0
)

replace (
	ccwb.dev/client => ../client
	ccwb.dev/constructs => ../constructs
	ccwb.dev/lambda => ../lambda
)

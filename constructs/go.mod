module ccwb.dev/constructs

go 1.25.0

require ccwb.dev/lambda v0.0.0

replace ccwb.dev/lambda => ../lambda

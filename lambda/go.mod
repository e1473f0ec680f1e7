module ccwb.dev/lambda

go 1.25.0

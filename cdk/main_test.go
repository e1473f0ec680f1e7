package main

import (
	"testing"

	"ccwb.dev/constructs/cdktest"
)

func TestMain(m *testing.M) { cdktest.Main(m) }

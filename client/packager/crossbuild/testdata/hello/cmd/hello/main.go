// Command hello prints its stamped version.
package main

import "os"

var version = "unstamped"

func main() { os.Stdout.WriteString(version + "\n") }

package mdm

import (
	"strings"
	"unicode/utf16"
)

// regHeader is the first line of a .reg file that regedit and reg import read.
const regHeader = "Windows Registry Editor Version 5.00"

// Value is one REG_SZ value of a registry key.
type Value struct{ Name, Data string }

// Reg is a .reg file setting string values under key (e.g.
// HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Claude), as regedit exports one: the version
// header, the key in brackets, "name"="data" lines with backslashes and quotes escaped, CRLF
// line ends, UTF-16LE with a byte-order mark.
func Reg(key string, values []Value) []byte {
	var b strings.Builder
	b.WriteString(regHeader + "\r\n\r\n[" + key + "]\r\n")
	for _, v := range values {
		b.WriteString(regString(v.Name) + "=" + regString(v.Data) + "\r\n")
	}
	b.WriteString("\r\n")
	units := utf16.Encode([]rune(b.String()))
	out := make([]byte, 2, 2+2*len(units))
	out[0], out[1] = 0xff, 0xfe
	for _, u := range units {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}

// regString quotes a name or string value for a .reg file.
func regString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

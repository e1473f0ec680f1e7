package macho

import (
	"bytes"
	"debug/macho"
	"encoding/binary"
	"io"
	"strings"
	"testing"
)

// thin returns a minimal 64-bit thin Mach-O executable for cpu with payload after the header.
func thin(cpu macho.Cpu, sub uint32, payload string) []byte {
	h := make([]byte, 32)
	binary.LittleEndian.PutUint32(h[0:], macho.Magic64)
	binary.LittleEndian.PutUint32(h[4:], uint32(cpu))
	binary.LittleEndian.PutUint32(h[8:], sub)
	binary.LittleEndian.PutUint32(h[12:], uint32(macho.TypeExec))
	return append(h, payload...)
}

func TestUniversalParsesAsFatWithBothSlices(t *testing.T) {
	arm := thin(macho.CpuArm64, 0, "arm64 code")
	amd := thin(macho.CpuAmd64, 3, strings.Repeat("x86_64 code", 1000))
	var buf bytes.Buffer
	// Given arm64 first: the output must still put x86_64 first, as lipo does.
	if err := Universal(&buf, arm, amd); err != nil {
		t.Fatal(err)
	}
	ff, err := macho.NewFatFile(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("output is not a fat Mach-O: %v", err)
	}
	if len(ff.Arches) != 2 {
		t.Fatalf("got %d arches, want 2", len(ff.Arches))
	}
	want := []struct {
		cpu   macho.Cpu
		sub   uint32
		align uint32
		data  []byte
	}{{macho.CpuAmd64, 3, 12, amd}, {macho.CpuArm64, 0, 14, arm}}
	for i, w := range want {
		a := ff.Arches[i]
		if a.Cpu != w.cpu || a.SubCpu != w.sub || a.Align != w.align {
			t.Errorf("arch %d = cpu %v sub %d align %d, want %v %d %d", i, a.Cpu, a.SubCpu, a.Align, w.cpu, w.sub, w.align)
		}
		if a.Offset%(1<<w.align) != 0 {
			t.Errorf("arch %d offset %d is not aligned to 2^%d", i, a.Offset, w.align)
		}
		got := buf.Bytes()[a.Offset : a.Offset+a.Size]
		if !bytes.Equal(got, w.data) {
			t.Errorf("arch %d slice bytes differ from the input", i)
		}
	}
	if int(ff.Arches[1].Offset+ff.Arches[1].Size) != buf.Len() {
		t.Errorf("file has %d bytes after the last slice", buf.Len()-int(ff.Arches[1].Offset+ff.Arches[1].Size))
	}
}

func TestUniversalIsDeterministic(t *testing.T) {
	arm := thin(macho.CpuArm64, 0, "a")
	amd := thin(macho.CpuAmd64, 3, "b")
	var one, two bytes.Buffer
	if err := Universal(&one, arm, amd); err != nil {
		t.Fatal(err)
	}
	if err := Universal(&two, amd, arm); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(one.Bytes(), two.Bytes()) {
		t.Fatal("input order changed the output")
	}
}

func TestUniversalRejects(t *testing.T) {
	arm := thin(macho.CpuArm64, 0, "a")
	elf := []byte("\x7fELF\x02\x01\x01\x00 not a mach-o")
	thin32 := thin(macho.CpuAmd64, 3, "b")
	binary.LittleEndian.PutUint32(thin32[0:], macho.Magic32)
	dylib := thin(macho.CpuAmd64, 3, "c")
	binary.LittleEndian.PutUint32(dylib[12:], uint32(macho.TypeDylib))
	for name, c := range map[string]struct {
		in   [][]byte
		want string
	}{
		"one slice":     {[][]byte{arm}, "at least two"},
		"duplicate cpu": {[][]byte{arm, arm}, "two slices for CPU"},
		"not mach-o":    {[][]byte{arm, elf}, "slice 1 is not a thin Mach-O"},
		"32-bit":        {[][]byte{arm, thin32}, "not a 64-bit"},
		"mixed types":   {[][]byte{arm, dylib}, "slice 1 is a"},
	} {
		t.Run(name, func(t *testing.T) {
			err := Universal(io.Discard, c.in...)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error = %v, want one containing %q", err, c.want)
			}
		})
	}
}

func FuzzUniversal(f *testing.F) {
	f.Add(thin(macho.CpuArm64, 0, "a"), thin(macho.CpuAmd64, 3, "b"))
	f.Add([]byte("junk"), []byte{0xcf, 0xfa, 0xed, 0xfe})
	f.Fuzz(func(t *testing.T, a, b []byte) {
		var buf bytes.Buffer
		if err := Universal(&buf, a, b); err != nil {
			return
		}
		ff, err := macho.NewFatFile(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatalf("Universal accepted the slices but wrote an unreadable fat file: %v", err)
		}
		if len(ff.Arches) != 2 {
			t.Fatalf("got %d arches", len(ff.Arches))
		}
	})
}

func BenchmarkUniversal(b *testing.B) {
	arm := thin(macho.CpuArm64, 0, strings.Repeat("a", 8<<20))
	amd := thin(macho.CpuAmd64, 3, strings.Repeat("b", 8<<20))
	b.SetBytes(int64(len(arm) + len(amd)))
	for b.Loop() {
		if err := Universal(io.Discard, arm, amd); err != nil {
			b.Fatal(err)
		}
	}
}

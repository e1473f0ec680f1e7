// Package macho writes universal ("fat") Mach-O files: one file holding a thin Mach-O
// executable per CPU, the form macOS runs natively on both Apple silicon and Intel.
package macho

import (
	"bytes"
	"debug/macho"
	"encoding/binary"
	"fmt"
	"io"
	"sort"
)

// fatMagic is FAT_MAGIC; the fat header and its arch table are big-endian.
const fatMagic = 0xcafebabe

const (
	fatHeaderSize = 8  // magic, nfat_arch
	fatArchSize   = 20 // cputype, cpusubtype, offset, size, align
)

// alignLog2 is the slice alignment lipo uses: the page size of the CPU (16 KiB on
// arm64, 4 KiB on x86_64), so the kernel can map each slice directly.
func alignLog2(cpu macho.Cpu) uint32 {
	if cpu == macho.CpuArm64 || cpu == macho.CpuArm {
		return 14
	}
	return 12
}

type slice struct {
	cpu    macho.Cpu
	subCPU uint32
	data   []byte
}

// Universal writes a fat Mach-O holding the given thin 64-bit Mach-O executables, one
// per CPU type. Slices are ordered by CPU type (x86_64 before arm64, as lipo does), so the
// output depends only on the inputs.
func Universal(w io.Writer, thin ...[]byte) error {
	if len(thin) < 2 {
		return fmt.Errorf("universal binary: need at least two thin slices, got %d", len(thin))
	}
	slices := make([]slice, 0, len(thin))
	seen := map[macho.Cpu]bool{}
	var firstType macho.Type
	for i, data := range thin {
		f, err := macho.NewFile(bytes.NewReader(data))
		if err != nil {
			return fmt.Errorf("universal binary: slice %d is not a thin Mach-O file: %w", i, err)
		}
		if f.Magic != macho.Magic64 {
			return fmt.Errorf("universal binary: slice %d (%s) is not a 64-bit Mach-O file", i, f.Cpu)
		}
		if i > 0 && f.Type != firstType {
			return fmt.Errorf("universal binary: slice %d is a %s file but slice 0 is a %s file", i, f.Type, firstType)
		}
		firstType = f.Type
		if seen[f.Cpu] {
			return fmt.Errorf("universal binary: two slices for CPU %s", f.Cpu)
		}
		seen[f.Cpu] = true
		slices = append(slices, slice{cpu: f.Cpu, subCPU: f.SubCpu, data: data})
	}
	sort.Slice(slices, func(i, j int) bool { return slices[i].cpu < slices[j].cpu })

	header := make([]byte, fatHeaderSize+fatArchSize*len(slices))
	binary.BigEndian.PutUint32(header[0:], fatMagic)
	binary.BigEndian.PutUint32(header[4:], uint32(len(slices)))
	offsets := make([]uint64, len(slices))
	next := uint64(len(header))
	for i, s := range slices {
		align := uint64(1) << alignLog2(s.cpu)
		next = (next + align - 1) &^ (align - 1)
		offsets[i] = next
		next += uint64(len(s.data))
		if next > 1<<32-1 {
			return fmt.Errorf("universal binary: %d bytes exceed the 4 GiB a 32-bit fat header can address", next)
		}
		a := header[fatHeaderSize+fatArchSize*i:]
		binary.BigEndian.PutUint32(a[0:], uint32(s.cpu))
		binary.BigEndian.PutUint32(a[4:], s.subCPU)
		binary.BigEndian.PutUint32(a[8:], uint32(offsets[i]))
		binary.BigEndian.PutUint32(a[12:], uint32(len(s.data)))
		binary.BigEndian.PutUint32(a[16:], alignLog2(s.cpu))
	}

	written := uint64(0)
	write := func(b []byte) error {
		n, err := w.Write(b)
		written += uint64(n)
		return err
	}
	if err := write(header); err != nil {
		return fmt.Errorf("universal binary: write header: %w", err)
	}
	for i, s := range slices {
		if pad := offsets[i] - written; pad > 0 {
			if err := write(make([]byte, pad)); err != nil {
				return fmt.Errorf("universal binary: write padding: %w", err)
			}
		}
		if err := write(s.data); err != nil {
			return fmt.Errorf("universal binary: write %s slice: %w", s.cpu, err)
		}
	}
	return nil
}

package signtest

import (
	"bytes"
	"crypto/sha256"
	"debug/macho"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"ccwb.dev/contract/testenv"
)

// Code signature layout, from xnu's osfmk/kern/cs_blobs.h.
const (
	lcCodeSignature   = 0x1d
	magicSuperBlob    = 0xfade0cc0
	magicCodeDir      = 0xfade0c02
	magicCMS          = 0xfade0b01
	slotCodeDirectory = 0
	slotCMS           = 0x10000
	hashSHA256        = 2
	flagRuntime       = 0x10000 // CS_RUNTIME: the hardened runtime
)

// ErrPageHash is a page of the binary that differs from the hash its CodeDirectory holds.
var ErrPageHash = errors.New("a page hash does not match")

// Signature is a thin Mach-O's code signature, read without our signing code.
type Signature struct {
	CodeDirectory, CMS []byte
	Flags              uint32
}

// HardenedRuntime says whether the CodeDirectory asks for the hardened runtime.
func (s *Signature) HardenedRuntime() bool { return s.Flags&flagRuntime != 0 }

// ReadSignature finds the code signature of a thin Mach-O binary and checks every page
// hash of its CodeDirectory against the binary (ErrPageHash when one differs).
func ReadSignature(bin []byte) (*Signature, error) {
	f, err := macho.NewFile(bytes.NewReader(bin))
	if err != nil {
		return nil, err
	}
	var off, size uint32
	for _, l := range f.Loads {
		raw := l.Raw()
		if f.ByteOrder.Uint32(raw) == lcCodeSignature {
			off, size = f.ByteOrder.Uint32(raw[8:]), f.ByteOrder.Uint32(raw[12:])
		}
	}
	if size == 0 || int(off+size) > len(bin) {
		return nil, errors.New("no LC_CODE_SIGNATURE: the binary is not signed")
	}
	be := binary.BigEndian
	sb := bin[off : off+size]
	if be.Uint32(sb) != magicSuperBlob {
		return nil, fmt.Errorf("signature magic %#x, want a SuperBlob", be.Uint32(sb))
	}
	sig := &Signature{}
	for i := uint32(0); i < be.Uint32(sb[8:]); i++ {
		typ, at := be.Uint32(sb[12+8*i:]), be.Uint32(sb[16+8*i:])
		blob := sb[at : at+be.Uint32(sb[at+4:])]
		switch {
		case typ == slotCodeDirectory && be.Uint32(blob) == magicCodeDir:
			sig.CodeDirectory = blob
		case typ == slotCMS && be.Uint32(blob) == magicCMS:
			sig.CMS = blob[8:]
		}
	}
	if sig.CodeDirectory == nil || len(sig.CMS) == 0 {
		return nil, errors.New("the signature has no CodeDirectory or no CMS signature")
	}
	return sig, sig.checkPages(bin)
}

func (s *Signature) checkPages(bin []byte) error {
	be, cd := binary.BigEndian, s.CodeDirectory
	s.Flags = be.Uint32(cd[12:])
	hashOffset, slots, limit := be.Uint32(cd[16:]), be.Uint32(cd[28:]), be.Uint32(cd[32:])
	hashSize, hashType, page := uint32(cd[36]), cd[37], uint32(1)<<cd[39]
	if hashType != hashSHA256 || hashSize != sha256.Size {
		return fmt.Errorf("CodeDirectory hash type %d, want SHA-256", hashType)
	}
	for i := uint32(0); i < slots; i++ {
		end := min((i+1)*page, limit)
		sum := sha256.Sum256(bin[i*page : end])
		if !bytes.Equal(sum[:], cd[hashOffset+i*hashSize:hashOffset+(i+1)*hashSize]) {
			return fmt.Errorf("%w: page %d (bytes %d to %d)", ErrPageHash, i, i*page, end)
		}
	}
	return nil
}

// VerifyCMS has openssl check the CMS signature over the CodeDirectory against caFile.
func (s *Signature) VerifyCMS(t testing.TB, caFile string) error {
	t.Helper()
	openssl := testenv.Need(t, "openssl", "apt-get install openssl")
	dir := t.TempDir()
	cms, cd := filepath.Join(dir, "cms.der"), filepath.Join(dir, "cd.bin")
	write(t, cms, s.CMS)
	write(t, cd, s.CodeDirectory)
	out, err := exec.Command(openssl, "cms", "-verify", "-binary", "-inform", "DER", "-in", cms, "-content", cd,
		"-CAfile", caFile, "-purpose", "any", "-out", os.DevNull).CombinedOutput()
	if err != nil {
		return fmt.Errorf("openssl cms -verify: %v\n%s", err, out)
	}
	return nil
}

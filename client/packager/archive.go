package packager

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"ccwb.dev/contract/distribution"
)

// archiveTime is the modification time of every archive entry: a fixed time keeps the
// archives reproducible (the package directory's name carries the build time).
var archiveTime = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

// Archive writes the package as <dir>.tar.gz (macOS, Linux: keeps the executable bits) and
// <dir>.zip (Windows), both holding one top folder named root. The same package gives the
// same archive bytes. It returns the two paths.
func (p *Package) Archive(root string) (tgz, zipPath string, err error) {
	files := []File{{Path: distribution.SumsFile}}
	for _, s := range p.Signatures {
		files = append(files, File{Path: s})
	}
	files = append(files, p.Files...)
	tgz, zipPath = p.Dir+distribution.TarGzExt, p.Dir+distribution.ZipExt
	if err := writeArchive(tgz, func(w io.Writer) error { return p.writeTarGz(w, root, files) }); err != nil {
		return "", "", err
	}
	if err := writeArchive(zipPath, func(w io.Writer) error { return p.writeZip(w, root, files) }); err != nil {
		return "", "", err
	}
	return tgz, zipPath, nil
}

func writeArchive(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("archive: %w", err)
	}
	if err := write(f); err != nil {
		f.Close()
		os.Remove(path)
		return fmt.Errorf("archive %s: %w", path, err)
	}
	return f.Close()
}

// entry reads one package file for an archive: its bytes and its mode (0755 for
// executables, 0644 otherwise).
func (p *Package) entry(path string) (int64, []byte, error) {
	name := filepath.Join(p.Dir, filepath.FromSlash(path))
	st, err := os.Stat(name)
	if err != nil {
		return 0, nil, err
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return 0, nil, err
	}
	if st.Mode().Perm()&0o100 != 0 {
		return 0o755, data, nil
	}
	return 0o644, data, nil
}

func (p *Package) writeTarGz(w io.Writer, root string, files []File) error {
	gz, err := gzip.NewWriterLevel(w, gzip.DefaultCompression)
	if err != nil {
		return err
	}
	gz.ModTime = archiveTime
	tw := tar.NewWriter(gz)
	for _, f := range files {
		mode, data, err := p.entry(f.Path)
		if err != nil {
			return err
		}
		hdr := &tar.Header{Name: root + "/" + f.Path, Mode: mode, Size: int64(len(data)), ModTime: archiveTime, Typeflag: tar.TypeReg, Format: tar.FormatPAX}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := tw.Write(data); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return gz.Close()
}

func (p *Package) writeZip(w io.Writer, root string, files []File) error {
	zw := zip.NewWriter(w)
	for _, f := range files {
		mode, data, err := p.entry(f.Path)
		if err != nil {
			return err
		}
		hdr := &zip.FileHeader{Name: root + "/" + f.Path, Method: zip.Deflate, Modified: archiveTime}
		hdr.SetMode(os.FileMode(mode))
		fw, err := zw.CreateHeader(hdr)
		if err != nil {
			return err
		}
		if _, err := fw.Write(data); err != nil {
			return err
		}
	}
	return zw.Close()
}

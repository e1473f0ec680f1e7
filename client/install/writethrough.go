package install

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"ccwb.dev/client/internal/atomicfile"
)

// maxLinkHops bounds a chain of symbolic links, as Linux does (MAXSYMLINKS is 40).
const maxLinkHops = 40

// BackupSuffix starts the name of a backup beside the file it saves:
// <file>.ccwb-backup-<UTC time>.
const BackupSuffix = ".ccwb-backup-"

// resolveTarget returns the file that path finally names: path itself when it is not a
// symbolic link, else the end of its chain of links, a link to a link too, each relative
// link read against the directory that holds it. Unlike filepath.EvalSymlinks it resolves
// a dangling link as well, to the path the link names, so that an install creates the
// file there (a dotfiles repository's copy not written yet) instead of replacing the link.
func resolveTarget(path string) (string, error) {
	cur := path
	for hops := 0; ; hops++ {
		st, err := os.Lstat(cur)
		if errors.Is(err, fs.ErrNotExist) {
			return cur, nil
		}
		if err != nil {
			return "", fmt.Errorf("read %s: %w", cur, err)
		}
		if st.Mode()&fs.ModeSymlink == 0 {
			return cur, nil
		}
		if hops == maxLinkHops {
			return "", fmt.Errorf("%s: more than %d symbolic links in a row (a loop?): point the link at a file", path, maxLinkHops)
		}
		dest, err := os.Readlink(cur)
		if err != nil {
			return "", fmt.Errorf("read the link %s: %w", cur, err)
		}
		if !filepath.IsAbs(dest) {
			// The kernel reads a relative link against the physical directory of the link.
			dir, err := filepath.EvalSymlinks(filepath.Dir(cur))
			if err != nil {
				return "", fmt.Errorf("read the link %s: %w", cur, err)
			}
			dest = filepath.Join(dir, dest)
		}
		cur = dest
	}
}

// rewrite applies change to the file at path (missing: empty) and, when the content
// changes, backs up the old file and replaces it atomically, keeping its mode. A path
// that is a symbolic link (a dotfiles manager's) stays one: the file it finally names is
// the one rewritten, in its own directory, and the backup goes beside it.
func rewrite(path string, mode fs.FileMode, now time.Time, log io.Writer, change func([]byte) ([]byte, error)) error {
	target, err := resolveTarget(path)
	if err != nil {
		return err
	}
	shown := path
	if target != path {
		shown = path + " (a link to " + target + ")"
	}
	old, err := os.ReadFile(target)
	exists := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("read %s: %w", shown, err)
	}
	updated, err := change(old)
	if err != nil {
		return fmt.Errorf("update %s: %w", shown, err)
	}
	if bytes.Equal(old, updated) {
		fmt.Fprintf(log, "unchanged %s\n", shown)
		return nil
	}
	if exists {
		if st, err := os.Stat(target); err == nil {
			mode = st.Mode().Perm()
		}
		backup := target + BackupSuffix + now.UTC().Format("20060102T150405Z")
		if err := atomicfile.Write(backup, old, mode); err != nil {
			return fmt.Errorf("back up %s: %w", shown, err)
		}
		fmt.Fprintf(log, "backed up %s to %s\n", shown, backup)
		if target != path {
			fmt.Fprintf(log, "  (in a dotfiles repository, keep backups out of it with a %q line in its .gitignore)\n", "*"+BackupSuffix+"*")
		}
	}
	if err := parentDir(path, target); err != nil {
		return err
	}
	if err := atomicfile.Write(target, updated, mode); err != nil {
		return err
	}
	fmt.Fprintf(log, "updated %s\n", shown)
	return nil
}

// parentDir makes sure the directory of target exists. It creates it (0700) for a plain
// path; the directory a link points into is the user's, so it is never created, and a
// directory that is a dangling link is named as such.
func parentDir(path, target string) error {
	dir := filepath.Dir(target)
	if target != path {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return fmt.Errorf("%s is a link to %s, whose directory %s does not exist: create it (check out your dotfiles) or remove the link", path, target, dir)
		}
		return nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		if link, lerr := os.Readlink(dir); lerr == nil {
			return fmt.Errorf("%s is a link to %s, which does not exist: create it (check out your dotfiles) or remove the link", dir, link)
		}
		return fmt.Errorf("create %s: %w", dir, err)
	}
	return nil
}

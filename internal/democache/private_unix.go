//go:build unix

package democache

import (
	"os"
	"syscall"
)

// private reports whether the directory is the user's own and no one else may write in it:
// anyone who can put a file there can put a database in front of the demo.
func private(info os.FileInfo) bool {
	st, ok := info.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) == os.Getuid() && info.Mode().Perm()&0o022 == 0
}

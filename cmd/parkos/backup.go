package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/parkos/parkos/internal/backup"
	"github.com/parkos/parkos/internal/store"
)

// cmdBackup writes the database to a file while the server keeps serving.
func cmdBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("backup", stdout, stderr)
	var c common
	c.register(fs.FlagSet, store.DefaultDB)
	out := fs.String("out", "", "the backup file to write (required)")
	format := fs.String("format", "", "PostgreSQL only: pg_dump, or copy (an export of ParkOS's own); pg_dump when it is installed")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return usageError{"--out FILE is required"}
	}
	// Written beside the target and renamed at the end: an interrupted backup never leaves a
	// file that looks whole.
	partial, err := os.CreateTemp(filepath.Dir(*out), filepath.Base(*out)+".partial-*")
	if err != nil {
		return err
	}
	defer os.Remove(partial.Name())
	h, err := backup.Write(ctx, c.db, partial, *format)
	if err == nil {
		err = partial.Sync()
	}
	if cerr := partial.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Rename(partial.Name(), *out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backup written: %s (%s, schema version %d, %d bytes, sha256 %s)\n", *out, h.Engine, h.SchemaVersion, h.Size, h.SHA256)
	return nil
}

// cmdRestore loads a backup into an empty database (or, with --force, in place of one).
func cmdRestore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("restore", stdout, stderr)
	var c common
	c.register(fs.FlagSet, store.DefaultDB)
	force := fs.Bool("force", false, "replace a database that holds data")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"one backup FILE is required (flags before it)"}
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	h, err := backup.Restore(ctx, f, c.db, *force)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored: %s backup of schema version %d, taken %s\n", h.Engine, h.SchemaVersion, h.CreatedAt.Format("2006-01-02 15:04:05 MST"))
	return nil
}

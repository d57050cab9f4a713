package sqlstore_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/parkos/parkos/internal/audit"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/store/sqlite"
	"github.com/parkos/parkos/internal/store/sqlstore"
)

// openFolded opens a migrated SQLite store whose log has been folded into the file.
func openFolded(t *testing.T) (*sqlstore.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "p.db")
	st, err := sqlite.Open(path, civil.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := st.ExecForTest(context.Background(), "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		t.Fatal(err)
	}
	return st, path
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// pastAutoCheckpoint audit entries take the log past SQLite's automatic checkpoint (1,000
// pages), so a commit that kept it would fold them into the file at once.
const pastAutoCheckpoint = 12000

// recordChanges writes n audit entries in one transaction.
func recordChanges(t *testing.T, st *sqlstore.Store, n int) {
	t.Helper()
	changes := make([]audit.Change, n)
	for i := range changes {
		changes[i] = audit.Change{Action: "create", Entity: "probe", ID: fmt.Sprint(i), After: map[string]string{"note": "checkpoint probe"}}
	}
	ctx := context.Background()
	if err := st.InTx(ctx, func(ctx context.Context) error { return st.RecordAll(ctx, identity.System(), changes) }); err != nil {
		t.Fatal(err)
	}
}

func autoCheckpoint(t *testing.T, st *sqlstore.Store) int {
	t.Helper()
	var pages int
	if err := st.Pools()["writer"].QueryRow("PRAGMA wal_autocheckpoint").Scan(&pages); err != nil {
		t.Fatal(err)
	}
	return pages
}

// TestABigTransactionCommitsBeforeItsCheckpoint: a transaction of many rows is committed and
// readable before its pages are copied into the database file, and the copy follows on the
// transaction's connection, which then checkpoints automatically again.
func TestABigTransactionCommitsBeforeItsCheckpoint(t *testing.T) {
	st, path := openFolded(t)
	run := st.HoldCheckpoints()
	before := fileSize(t, path)
	recordChanges(t, st, pastAutoCheckpoint)
	var n int
	if err := st.Pools()["reader"].QueryRow("SELECT count(*) FROM audit_log WHERE entity = 'probe'").Scan(&n); err != nil || n != pastAutoCheckpoint {
		t.Fatalf("committed rows read back: %d, %v", n, err)
	}
	if after := fileSize(t, path); after != before {
		t.Fatalf("the commit checkpointed: the database file went from %d to %d bytes", before, after)
	}
	run()
	if after := fileSize(t, path); after <= before {
		t.Fatalf("the deferred checkpoint left the database file at %d bytes (was %d)", after, before)
	}
	if pages := autoCheckpoint(t, st); pages != 1000 {
		t.Fatalf("automatic checkpoint after the deferred one: %d pages, want 1000", pages)
	}
}

// TestSmallTransactionsCheckpointInTheirCommit: a few rows commit as SQLite always does, the
// automatic checkpoint left on.
func TestSmallTransactionsCheckpointInTheirCommit(t *testing.T) {
	st, _ := openFolded(t)
	st.HoldCheckpoints() // never run: a small transaction must not need one
	recordChanges(t, st, 10)
	if pages := autoCheckpoint(t, st); pages != 1000 {
		t.Fatalf("automatic checkpoint after a small transaction: %d pages, want 1000", pages)
	}
}

// TestTheLogStartsOverAfterADeferredCheckpoint: writes that follow a big transaction at once
// reuse the log from its beginning instead of growing it (a checkpoint run beside the writer
// once let back-to-back writes grow it to 316 MB; one that waited for the pool's connection
// let the writes queued before it grow the log).
func TestTheLogStartsOverAfterADeferredCheckpoint(t *testing.T) {
	st, path := openFolded(t)
	recordChanges(t, st, pastAutoCheckpoint)
	big := fileSize(t, path+"-wal")
	for range 600 {
		recordChanges(t, st, 20)
	}
	if grown := fileSize(t, path+"-wal"); grown > big {
		t.Fatalf("the log grew from %d to %d bytes under the writes after a big transaction", big, grown)
	}
}

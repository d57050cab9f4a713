package sqlstore_test

import (
	"context"
	"errors"
	"testing"

	"github.com/parkos/parkos/internal/store/sqlstore"
	"github.com/parkos/parkos/internal/store/storetest"
)

// A migrated database lists every version applied; one migrated by a newer binary is named in
// the status and refused by Migrate, which a server start runs.
func TestMigrationStatusAndNewerSchema(t *testing.T) {
	ctx := context.Background()
	for _, eng := range storetest.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			st := eng.Open(t)
			states, err := st.MigrationStatus(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(states) < 36 || len(sqlstore.Unknown(states)) != 0 {
				t.Fatalf("%d versions, unknown %v", len(states), sqlstore.Unknown(states))
			}
			for _, m := range states {
				if m.AppliedAt == "" || !m.Known {
					t.Fatalf("version %d not applied after Migrate: %+v", m.Version, m)
				}
			}
			last := states[len(states)-1].Version
			if err := st.ExecForTest(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'from_the_future', '2030-01-01T00:00:00Z')`, last+1); err != nil {
				t.Fatal(err)
			}
			states, err = st.MigrationStatus(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if u := sqlstore.Unknown(states); len(u) != 1 || u[0].Version != last+1 || u[0].Name != "from_the_future" {
				t.Fatalf("unknown versions: %+v", u)
			}
			var newer *sqlstore.NewerSchemaError
			if err := st.Migrate(ctx); !errors.As(err, &newer) || newer.Database != last+1 || newer.Binary != last {
				t.Fatalf("Migrate on a newer schema: %v", err)
			}
		})
	}
}

package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/parkos/parkos/internal/app"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/onboard"
	"github.com/parkos/parkos/internal/onboardbook"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/sheet"
	"github.com/parkos/parkos/internal/space"
	"github.com/parkos/parkos/internal/store"
)

// exportOnboarding writes every park's records, or one park's, as the onboarding workbook or as
// one kind of record in CSV (parkos export onboarding).
func exportOnboarding(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("export onboarding", stdout, stderr)
	var c common
	c.register(fs.FlagSet, store.DefaultDB)
	parkCode := fs.String("park", "", "only this park (its code)")
	entity := fs.String("csv", "", "write this kind of record as CSV instead of a workbook: parks, buildings, floors, units, enterprises, qualifications, residencies, contracts or contract_units")
	out := fs.String("out", "", "the file to write")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("--out is required")
	}
	st, err := openMigrated(ctx, c.db)
	if err != nil {
		return err
	}
	defer st.Close()
	sc := identity.System().Via("cli")
	parkID := ""
	if *parkCode != "" {
		pg, err := st.ListParks(ctx, sc, space.ParkFilter{Code: *parkCode}, page.Request{})
		if err != nil {
			return err
		}
		if len(pg.Items) == 0 {
			return fmt.Errorf("no park with code %q", *parkCode)
		}
		parkID = pg.Items[0].ID
	}
	var data []byte
	if *entity != "" {
		data, err = onboardbook.ExportCSV(ctx, app.New(st, clock).Onboard, sc, parkID, *entity)
	} else {
		data, err = onboardbook.Export(ctx, app.New(st, clock).Onboard, sc, parkID)
	}
	if err != nil {
		return describe(err)
	}
	return writeOut(*out, data, stdout)
}

// importOnboarding reads an onboarding workbook or CSV, all or nothing (parkos import onboarding).
func importOnboarding(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	job := newImportJob("import onboarding", stdout, stderr)
	entity := job.fs.String("entity", "", "what a CSV holds, when its headers do not tell")
	data, st, err := job.open(ctx, args, func() error { return nil })
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := onboardbook.Import(ctx, app.New(st, clock).Onboard, identity.System().Via("cli"), data, sheet.DefaultLimits, *entity, *job.dryRun)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "rows %d, problems %d\n", res.Rows, len(res.Problems))
	for _, e := range onboard.Entities {
		if n := res.Counts[e]; n.Created+n.Changed+n.Unchanged > 0 {
			fmt.Fprintf(stdout, "  %-15s %d created, %d changed, %d unchanged\n", e, n.Created, n.Changed, n.Unchanged)
		}
	}
	return reportProblems(data, res.Problems, res.Committed, *job.annotated, stdout)
}

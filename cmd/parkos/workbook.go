package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/parkos/parkos/internal/app"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/reportbook"
	"github.com/parkos/parkos/internal/sheet"
	"github.com/parkos/parkos/internal/store"
	"github.com/parkos/parkos/internal/store/sqlstore"
)

const (
	exportUsage = `Usage:
  parkos export reports --period ID --out FILE.xlsx
  parkos export onboarding [--park CODE] [--csv ENTITY] --out FILE
  parkos export SUB --help
`
	importUsage = `Usage:
  parkos import reports --period ID [--dry-run] [--annotated OUT.xlsx] FILE
  parkos import onboarding [--entity ENTITY] [--dry-run] [--annotated OUT.xlsx] FILE
  parkos import SUB --help
`
)

// cmdExport writes a workbook: a period's filing workbook or the onboarding workbook.
func cmdExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	switch {
	case len(args) > 0 && args[0] == "reports":
		return exportReports(ctx, args[1:], stdout, stderr)
	case len(args) > 0 && args[0] == "onboarding":
		return exportOnboarding(ctx, args[1:], stdout, stderr)
	case len(args) > 0 && isHelp(args[0]):
		fmt.Fprint(stdout, exportUsage)
		return nil
	}
	return usageErr(stderr, exportUsage, "export what? reports or onboarding")
}

// cmdImport reads a workbook or CSV, all or nothing: a period's filled filing workbook, or an
// onboarding workbook.
func cmdImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	switch {
	case len(args) > 0 && args[0] == "reports":
		return importReports(ctx, args[1:], stdout, stderr)
	case len(args) > 0 && args[0] == "onboarding":
		return importOnboarding(ctx, args[1:], stdout, stderr)
	case len(args) > 0 && isHelp(args[0]):
		fmt.Fprint(stdout, importUsage)
		return nil
	}
	return usageErr(stderr, importUsage, "import what? reports or onboarding")
}

// exportReports writes a reporting period's filing workbook (parkos export reports).
func exportReports(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("export reports", stdout, stderr)
	var c common
	c.register(fs.FlagSet, store.DefaultDB)
	period := fs.String("period", "", "reporting period id")
	out := fs.String("out", "", "the workbook to write (.xlsx)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *period == "" || *out == "" {
		return errors.New("--period and --out are required")
	}
	st, err := openMigrated(ctx, c.db)
	if err != nil {
		return err
	}
	defer st.Close()
	data, _, err := reportbook.TemplateFor(ctx, app.New(st, clock).Stats, identity.System().Via("cli"), *period)
	if err != nil {
		return describe(err)
	}
	return writeOut(*out, data, stdout)
}

// importReports reads a filled filing workbook or CSV into a period, all or nothing
// (parkos import reports).
func importReports(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	job := newImportJob("import reports", stdout, stderr)
	period := job.fs.String("period", "", "reporting period id")
	data, st, err := job.open(ctx, args, func() error {
		if *period == "" {
			return errors.New("--period is required")
		}
		return nil
	})
	if err != nil {
		return err
	}
	defer st.Close()
	res, _, err := reportbook.Import(ctx, app.New(st, clock).Stats, identity.System().Via("cli"), *period, data, sheet.DefaultLimits, *job.dryRun)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "rows %d: %d drafts updated, %d submitted, %d unchanged, %d problems\n",
		res.Rows, res.Changed, res.Submitted, res.Unchanged, len(res.Problems))
	return reportProblems(data, res.Problems, res.Committed, *job.annotated, stdout)
}

// importJob is what every import command takes: the database, one FILE, a dry run, and where
// to write a marked copy when the file has problems.
type importJob struct {
	fs        *flags
	c         common
	dryRun    *bool
	annotated *string
}

func newImportJob(name string, stdout, stderr io.Writer) *importJob {
	j := &importJob{fs: newFlags(name, stdout, stderr)}
	j.c.register(j.fs.FlagSet, store.DefaultDB)
	j.dryRun = j.fs.Bool("dry-run", false, "check and preview only; write nothing")
	j.annotated = j.fs.String("annotated", "", "on problems, write a copy with the bad cells marked here")
	return j
}

// open parses the flags, checks them, reads the FILE and opens the database.
func (j *importJob) open(ctx context.Context, args []string, check func() error) ([]byte, *sqlstore.Store, error) {
	if err := j.fs.Parse(args); err != nil {
		return nil, nil, err
	}
	if err := check(); err != nil {
		return nil, nil, err
	}
	if j.fs.NArg() != 1 {
		return nil, nil, usageError{"one FILE is required"}
	}
	data, err := os.ReadFile(j.fs.Arg(0))
	if err != nil {
		return nil, nil, err
	}
	st, err := openMigrated(ctx, j.c.db)
	return data, st, err
}

// writeOut writes an exported file and says so.
func writeOut(path string, data []byte, stdout io.Writer) error {
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "wrote", path)
	return nil
}

// reportProblems prints an import's problems by cell and, when asked, writes the marked copy;
// an import with problems is an error, as nothing was written.
func reportProblems(data []byte, problems []sheet.Problem, committed bool, annotated string, stdout io.Writer) error {
	for _, p := range problems {
		fmt.Fprintf(stdout, "  %s row %d, column %s (%s): %s / %s\n", p.Sheet, p.Row, p.Column, p.Header, p.MessageZh, p.MessageEn)
	}
	if len(problems) == 0 {
		if committed {
			fmt.Fprintln(stdout, "imported")
		}
		return nil
	}
	if annotated != "" {
		marked, err := sheet.Annotate(data, sheet.DefaultLimits, problems)
		if err != nil {
			return err
		}
		if err := os.WriteFile(annotated, marked, 0o644); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "marked copy:", annotated)
	}
	return errors.New("nothing was written: correct the cells above and import again")
}

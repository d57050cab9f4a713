package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/term"

	"github.com/parkos/parkos/internal/app"
	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/space"
	"github.com/parkos/parkos/internal/store"
	"github.com/parkos/parkos/internal/store/sqlstore"
)

func cmdMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "status" {
		return cmdMigrateStatus(ctx, args[1:], stdout, stderr)
	}
	fs := newFlags("migrate", stdout, stderr)
	var c common
	c.register(fs.FlagSet, store.DefaultDB)
	if err := fs.Parse(args); err != nil {
		return err
	}
	st, err := openMigrated(ctx, c.db)
	if err != nil {
		return err
	}
	defer st.Close()
	fmt.Fprintln(stdout, "migrations applied:", st.Engine())
	return nil
}

// cmdMigrateStatus lists the schema versions, applied and pending, without changing anything.
func cmdMigrateStatus(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("migrate status", stdout, stderr)
	var c common
	c.register(fs.FlagSet, store.DefaultDB)
	if err := fs.Parse(args); err != nil {
		return err
	}
	st, err := store.Open(c.db, clock)
	if err != nil {
		return err
	}
	defer st.Close()
	states, err := st.MigrationStatus(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "VERSION\tNAME\tAPPLIED")
	var pending int
	for _, m := range states {
		applied := m.AppliedAt
		switch {
		case !m.Known:
			applied += " (newer than this binary)"
		case applied == "":
			applied, pending = "pending", pending+1
		}
		fmt.Fprintf(w, "%04d\t%s\t%s\n", m.Version, m.Name, applied)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	unknown := sqlstore.Unknown(states)
	fmt.Fprintf(stdout, "%s: %d applied, %d pending, %d newer than this binary\n", st.Engine(), len(states)-pending-len(unknown), pending, len(unknown))
	if len(unknown) > 0 {
		return &sqlstore.NewerSchemaError{Database: unknown[len(unknown)-1].Version, Binary: states[len(states)-len(unknown)-1].Version}
	}
	return nil
}

// cmdFigures brings the kept figures up to date for every park: each park-year's summed
// enterprise-years (the authority's indicators) and each park's month-end occupancy. Reads keep
// them current by themselves; this does the work ahead of the first reader, after a bulk load,
// and with --rebuild forgets them first and computes everything again.
func cmdFigures(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("figures", stdout, stderr)
	var c common
	c.register(fs.FlagSet, store.DefaultDB)
	rebuild := fs.Bool("rebuild", false, "forget the kept figures and compute all of them again")
	if err := fs.Parse(args); err != nil {
		return err
	}
	st, err := openMigrated(ctx, c.db)
	if err != nil {
		return err
	}
	defer st.Close()
	svc, sys := app.New(st, clock), identity.System()
	started := time.Now()
	var parkYears int
	if *rebuild {
		parkYears, err = svc.Indicators.Rebuild(ctx, sys)
	} else {
		parkYears, err = svc.Indicators.Refresh(ctx, sys)
	}
	if err != nil {
		return err
	}
	parks, err := svc.Leasing.RefreshSnapshots(ctx, sys, *rebuild)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "figures computed: %d park-years of indicators, %d parks' month-end occupancy (%s)\n",
		parkYears, parks, time.Since(started).Round(time.Millisecond))
	return nil
}

// clock is the one clock of the process: the store, the services and both channels tell the
// day by it.
var clock civil.Clock = civil.SystemClock{}

// openMigrated opens the database and brings its schema up to date.
func openMigrated(ctx context.Context, addr string) (*sqlstore.Store, error) {
	st, err := store.Open(addr, clock)
	if err != nil {
		return nil, err
	}
	if err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// multi is a repeatable string flag.
type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

func cmdUser(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageErr(stderr, userUsage, "user: which command? add, set-password or list")
	}
	if isHelp(args[0]) {
		fmt.Fprint(stdout, userUsage)
		return nil
	}
	sub := args[0]
	if sub != "add" && sub != "set-password" && sub != "list" {
		// Refused before the database is opened, so a typo creates no database file.
		return usageErr(stderr, userUsage, fmt.Sprintf("unknown user command %q", sub))
	}
	fs := newFlags("user "+sub, stdout, stderr)
	var c common
	c.register(fs.FlagSet, store.DefaultDB)
	username := fs.String("username", "", "login name")
	role := fs.String("role", "", "admin | authority | park_manager | leasing | service | finance | ent_admin | ent_member")
	name := fs.String("name", "", "display name")
	enterpriseCode := fs.String("enterprise", "", "credit code of the user's enterprise (enterprise roles)")
	var parks multi
	fs.Var(&parks, "park", "code of an assigned park (operator roles; repeatable)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	st, err := openMigrated(ctx, c.db)
	if err != nil {
		return err
	}
	defer st.Close()
	sys := identity.System()
	switch sub {
	case "list":
		return listUsers(ctx, st, stdout)
	case "add":
		in := identity.UserInput{Username: *username, DisplayName: *name, Role: identity.Role(*role)}
		for _, code := range parks {
			pg, err := st.ListParks(ctx, sys, space.ParkFilter{Code: code}, page.Request{Limit: 1})
			if err != nil {
				return err
			}
			if len(pg.Items) == 0 {
				return fmt.Errorf("--park %s: no park with this code", code)
			}
			in.ParkIDs = append(in.ParkIDs, pg.Items[0].ID)
		}
		if *enterpriseCode != "" {
			pg, err := st.ListEnterprises(ctx, sys, enterprise.Filter{Q: *enterpriseCode}, page.Request{Limit: 2})
			if err != nil {
				return err
			}
			if len(pg.Items) != 1 || pg.Items[0].CreditCode != strings.ToUpper(*enterpriseCode) {
				return fmt.Errorf("--enterprise %s: no enterprise with this credit code", *enterpriseCode)
			}
			in.EnterpriseID = pg.Items[0].ID
		}
		if in.Password, err = readPassword(stdin, stderr); err != nil {
			return err
		}
		u, err := app.New(st, clock).Accounts.CreateUser(ctx, sys, in)
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "user %s (%s) created\n", u.Username, u.Role)
		return nil
	case "set-password":
		pg, err := st.ListUsers(ctx, sys, identity.UserFilter{Username: *username}, page.Request{Limit: 1})
		if err != nil {
			return err
		}
		if len(pg.Items) == 0 {
			return fmt.Errorf("--username %q: no such user", *username)
		}
		password, err := readPassword(stdin, stderr)
		if err != nil {
			return err
		}
		if err := app.New(st, clock).Accounts.SetPassword(ctx, sys, pg.Items[0].ID, password); err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "password of %s changed; their sessions have ended\n", pg.Items[0].Username)
	}
	return nil
}

const userUsage = `Usage:
  parkos user add --username NAME --role ROLE [--park CODE]… [--enterprise CREDIT_CODE] [--name NAME]
  parkos user set-password --username NAME
  parkos user list
  parkos user SUB --help       the flags of one
`

func listUsers(ctx context.Context, st *sqlstore.Store, stdout io.Writer) error {
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "USERNAME\tROLE\tNAME\tPARKS\tENTERPRISE\tDISABLED")
	req := page.Request{Limit: 500}
	for {
		pg, err := st.ListUsers(ctx, identity.System(), identity.UserFilter{}, req)
		if err != nil {
			return err
		}
		for _, u := range pg.Items {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%v\n", u.Username, u.Role, u.DisplayName, len(u.ParkIDs), u.EnterpriseID, u.Disabled)
		}
		if pg.NextCursor == "" {
			return tw.Flush()
		}
		req.Cursor = pg.NextCursor
	}
}

// readPassword prompts without echo on a terminal, or reads one line from a pipe.
func readPassword(stdin io.Reader, stderr io.Writer) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stderr, "Password / 密码: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		return string(b), err
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// describe spells out field errors for the terminal.
func describe(err error) error {
	e, ok := apperr.As(err)
	if !ok || len(e.Fields) == 0 {
		return err
	}
	var b strings.Builder
	b.WriteString(e.MessageEn)
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "\n  %s: %s / %s", f.Field, f.MessageEn, f.MessageZh)
	}
	return errors.New(b.String())
}

// Command parkos is the whole of ParkOS in one binary: the server, the demo, migrations and
// administration.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const usage = `parkos — 科技园区运营与产业服务平台 / science park operating platform

Usage:
  parkos serve   [--addr :8080] [--db sqlite:./data/parkos.db] [--demo]
  parkos demo    [--addr :8080] [--db …]      start on a fresh demo data set
  parkos migrate [--db …]                     apply database migrations
  parkos migrate status [--db …]              list the schema versions, applied and pending
  parkos figures [--rebuild] [--db …]         compute the kept indicator and occupancy figures ahead of readers
  parkos backup  --out FILE [--db …]          back the database up while it serves
  parkos restore [--db …] [--force] FILE      restore a backup into an empty database (or replace one)
  parkos gen     --scale demo|city|beijing [--seed N] [--db …]   write a synthetic data set
  parkos bench load --url URL [--conns 64] [--duration 30s]       mixed read load against a server
  parkos user add --username NAME --role ROLE [--park CODE]… [--enterprise CREDIT_CODE] [--name NAME]
  parkos user set-password --username NAME
  parkos user list
  parkos export reports --period ID --out FILE.xlsx                  a period's filing workbook, pre-filled
  parkos import reports --period ID [--dry-run] [--annotated OUT.xlsx] FILE   figures from a workbook or CSV, all or nothing
  parkos export onboarding [--park CODE] [--csv ENTITY] --out FILE     parks, buildings, floors, units, enterprises,
                                                                       qualifications, residencies and contracts
  parkos import onboarding [--entity ENTITY] [--dry-run] [--annotated OUT.xlsx] FILE   the same, all or nothing
  parkos version

  parkos help | parkos COMMAND --help | parkos COMMAND SUB --help          this text, or one command's flags

Every flag also reads PARKOS_<FLAG> from the environment (PARKOS_ADDR, PARKOS_DB, PARKOS_LOG_LEVEL…).
Passwords are read from standard input (or a prompt on a terminal), never from flags.

Exit status: 0 done (or help printed), 1 the command failed, 2 a usage error (unknown command or
flag, missing argument).
`

func main() {
	os.Exit(exitCode(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr), os.Stderr))
}

// exitCode reports err and maps it to the documented exit status.
func exitCode(err error, stderr io.Writer) int {
	var bad usageError
	switch {
	case err == nil, errors.Is(err, errHelp):
		return 0
	case errors.As(err, &bad):
		fmt.Fprintln(stderr, "parkos:", err)
		return 2
	}
	fmt.Fprintln(stderr, "parkos:", err)
	return 1
}

// errHelp says help was asked for and printed: the command succeeds.
var errHelp = errors.New("help printed")

// usageError is a command line that does not say what to do: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// usageErr prints the usage to stderr and returns the usage error msg.
func usageErr(stderr io.Writer, text, msg string) error {
	fmt.Fprint(stderr, text)
	return usageError{msg}
}

// isHelp reports whether an argument asks for help.
func isHelp(arg string) bool {
	return arg == "help" || arg == "-h" || arg == "-help" || arg == "--help"
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageErr(stderr, usage, "no command given")
	}
	switch args[0] {
	case "serve":
		return cmdServe(ctx, args[1:], stdout, stderr, false)
	case "demo":
		return cmdServe(ctx, args[1:], stdout, stderr, true)
	case "migrate":
		return cmdMigrate(ctx, args[1:], stdout, stderr)
	case "figures":
		return cmdFigures(ctx, args[1:], stdout, stderr)
	case "backup":
		return cmdBackup(ctx, args[1:], stdout, stderr)
	case "restore":
		return cmdRestore(ctx, args[1:], stdout, stderr)
	case "gen":
		return cmdGen(ctx, args[1:], stdout, stderr)
	case "bench":
		return cmdBench(ctx, args[1:], stdout, stderr)
	case "user":
		return cmdUser(ctx, args[1:], stdin, stdout, stderr)
	case "export":
		return cmdExport(ctx, args[1:], stdout, stderr)
	case "import":
		return cmdImport(ctx, args[1:], stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "parkos", version)
		return nil
	case "help", "--help", "-h", "-help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return usageErr(stderr, usage, fmt.Sprintf("unknown command %q", args[0]))
}

// common are the flags every command takes.
type common struct {
	db       string
	logLevel string
	logJSON  bool
}

func env(name, fallback string) string {
	if v, ok := os.LookupEnv("PARKOS_" + name); ok {
		return v
	}
	return fallback
}

func (c *common) register(fs *flag.FlagSet, defaultDB string) {
	fs.StringVar(&c.db, "db", env("DB", defaultDB), "database: sqlite:PATH or postgres://… (PARKOS_DB)")
	fs.StringVar(&c.logLevel, "log-level", env("LOG_LEVEL", "info"), "debug | info | warn | error (PARKOS_LOG_LEVEL)")
	fs.BoolVar(&c.logJSON, "log-json", env("LOG_JSON", "") == "true", "write logs as JSON (PARKOS_LOG_JSON=true)")
}

func (c *common) logger(w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(strings.ToUpper(c.logLevel))); err != nil {
		return nil, fmt.Errorf("--log-level %q: want debug, info, warn or error", c.logLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	if c.logJSON {
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return slog.New(slog.NewTextHandler(w, opts)), nil
}

// flags is a command's flag set. Parse errors go to stderr with the usage (exit 2); asked for
// help (-h, --help), it prints the usage to stdout and the command succeeds.
type flags struct {
	*flag.FlagSet
	stdout io.Writer
}

func newFlags(name string, stdout, stderr io.Writer) *flags {
	fs := flag.NewFlagSet("parkos "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: parkos %s [flags]\n\nFlags:\n", name)
		fs.PrintDefaults()
	}
	return &flags{FlagSet: fs, stdout: stdout}
}

// Parse reads args; see flags.
func (f *flags) Parse(args []string) error {
	for _, a := range args {
		if a == "--" {
			break
		}
		if isHelp(a) && a != "help" {
			f.SetOutput(f.stdout)
			f.Usage()
			return errHelp
		}
	}
	if err := f.FlagSet.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	return nil
}

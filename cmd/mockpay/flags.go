package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// cmdFlags is one command's flag set: its usage text, and for commands that
// talk to a running mockpay, --server (and --json on those that read).
type cmdFlags struct {
	*flag.FlagSet
	server *string
	json   *bool
}

// newFlags starts a command's flags. use is what follows "mockpay " in the
// synopsis; about says what the command does.
func newFlags(use, about string, stderr io.Writer) *cmdFlags {
	name, _, _ := strings.Cut(use, " [")
	fl := &cmdFlags{FlagSet: flag.NewFlagSet("mockpay "+name, flag.ContinueOnError)}
	fl.SetOutput(stderr)
	fl.Usage = func() {
		fmt.Fprintf(stderr, "Usage: mockpay %s\n\n%s\n", use, about)
		if hasFlags(fl.FlagSet) {
			fmt.Fprintln(stderr, "\nFlags:")
			fl.PrintDefaults()
		}
	}
	return fl
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

// remote adds --server, for commands that call the control API.
func (f *cmdFlags) remote(getenv func(string) string) *cmdFlags {
	f.server = f.String("server", envOr(getenv, "MOCKPAY_URL", defaultServer), "URL of the running mockpay (env MOCKPAY_URL)")
	return f
}

// readable adds --json, for commands that show what the API answered.
func (f *cmdFlags) readable() *cmdFlags {
	f.json = f.Bool("json", false, "print the API's JSON instead of a table")
	return f
}

// parse reads flags anywhere among the arguments ("trades show T --json"
// as well as "trades show --json T") and returns the positional ones. -h
// returns flag.ErrHelp, which run turns into exit status 0.
func (f *cmdFlags) parse(args []string) ([]string, error) {
	var rest []string
	for {
		if err := f.Parse(args); err != nil {
			return nil, flagError(err)
		}
		args = f.Args()
		if len(args) == 0 {
			return rest, nil
		}
		if args[0] == "--" {
			return append(rest, args[1:]...), nil
		}
		rest = append(rest, args[0])
		args = args[1:]
	}
}

// want checks the number of positional arguments.
func (f *cmdFlags) want(args []string, n int, what string) error {
	if len(args) != n {
		f.Usage()
		if n == 0 {
			return usageError{fmt.Sprintf("%s takes no arguments, got %q", f.Name(), args)}
		}
		return usageError{fmt.Sprintf("%s needs %s", f.Name(), what)}
	}
	return nil
}

func (f *cmdFlags) client() (*apiClient, error) { return newAPIClient(*f.server) }

// start is how a client command begins: parse the arguments, check there
// are n positional ones (what they are, for the error), and connect.
func (f *cmdFlags) start(args []string, n int, what string) ([]string, *apiClient, error) {
	rest, err := f.parse(args)
	if err != nil {
		return nil, nil, err
	}
	if err := f.want(rest, n, what); err != nil {
		return nil, nil, err
	}
	c, err := f.client()
	return rest, c, err
}

// show prints the API's answer as it came with --json, else as pretty does.
func (f *cmdFlags) show(w io.Writer, raw []byte, pretty func() error) error {
	if f.wantJSON() {
		return printJSON(w, raw)
	}
	return pretty()
}

func (f *cmdFlags) wantJSON() bool { return f.json != nil && *f.json }

// flagError is a usage error, except -h: flag.ErrHelp passes through for
// run to turn into exit status 0.
func flagError(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return err
	}
	return usageError{err.Error()}
}

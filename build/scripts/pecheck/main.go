// Command pecheck checks the Windows executables `make package` builds: each
// must be a 64-bit (PE32+) amd64 image whose version resource carries the
// expected ProductVersion and ProductName strings, with a fixed version whose
// numbers match the start of that version. It prints one PASS or FAIL line
// per check and exits 1 if any check failed (2 on bad usage).
//
//	go run ./build/scripts/pecheck -version 1.2.3+4.gabc1234 -product FragmentEditor dist/*.exe
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("pecheck", flag.ContinueOnError)
	fset.SetOutput(stderr)
	want := Want{}
	fset.StringVar(&want.Version, "version", "", "expected ProductVersion string (required)")
	fset.StringVar(&want.Product, "product", "", "expected ProductName string (optional)")
	fset.Usage = func() {
		fmt.Fprintln(stderr, "usage: pecheck -version V [-product NAME] FILE.exe...")
		fset.PrintDefaults()
	}
	if err := fset.Parse(args); err != nil {
		return 2
	}
	if want.Version == "" || fset.NArg() == 0 {
		fset.Usage()
		return 2
	}
	failed := 0
	for _, path := range fset.Args() {
		for _, r := range Check(path, want) {
			status := "PASS"
			if !r.OK {
				status = "FAIL"
				failed++
			}
			fmt.Fprintf(stdout, "%s %s: %s\n", status, path, r.Msg)
		}
	}
	if failed > 0 {
		return 1
	}
	return 0
}

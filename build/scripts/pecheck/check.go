package main

import (
	"debug/pe"
	"errors"
	"fmt"
	"regexp"
	"strconv"
)

// Want is what an executable must show.
type Want struct {
	Version string // ProductVersion string; its leading a.b.c must match the fixed version
	Product string // ProductName string; empty skips the check
}

// Result is one check's outcome.
type Result struct {
	OK  bool
	Msg string
}

// Check opens the file and runs every check on it. A file that cannot be
// read as PE gives a single failed result.
func Check(path string, want Want) []Result {
	f, err := pe.Open(path)
	if err != nil {
		return []Result{{false, fmt.Sprintf("not a PE file: %v", err)}}
	}
	defer f.Close()
	results := []Result{checkFormat(f)}
	vi, err := readVersionInfo(f)
	if err != nil {
		return append(results, Result{false, fmt.Sprintf("version resource: %v", err)})
	}
	results = append(results, checkString(vi, "ProductVersion", want.Version))
	if want.Product != "" {
		results = append(results, checkString(vi, "ProductName", want.Product))
	}
	return append(results, checkFixed(vi, want.Version))
}

// checkFormat wants a PE32+ image for amd64.
func checkFormat(f *pe.File) Result {
	oh, ok := f.OptionalHeader.(*pe.OptionalHeader64)
	switch {
	case !ok:
		return Result{false, "not PE32+ (a 32-bit PE32 image)"}
	case f.Machine != pe.IMAGE_FILE_MACHINE_AMD64:
		return Result{false, fmt.Sprintf("PE32+ but machine %#x, not amd64", f.Machine)}
	}
	kind := "console"
	if oh.Subsystem == pe.IMAGE_SUBSYSTEM_WINDOWS_GUI {
		kind = "GUI"
	}
	return Result{true, "PE32+ amd64 " + kind + " executable"}
}

func checkString(vi VersionInfo, key, want string) Result {
	got, ok := vi.Strings[key]
	switch {
	case !ok:
		return Result{false, fmt.Sprintf("version resource has no %s string", key)}
	case got != want:
		return Result{false, fmt.Sprintf("%s is %q, want %q", key, got, want)}
	}
	return Result{true, fmt.Sprintf("%s %q", key, got)}
}

var leadingVersion = regexp.MustCompile(`^(\d+)\.(\d+)\.(\d+)`)

// checkFixed wants the fixed product version's first three numbers to be
// the leading a.b.c of the expected version string.
func checkFixed(vi VersionInfo, version string) Result {
	got := vi.Fixed.Product
	m := leadingVersion.FindStringSubmatch(version)
	if m == nil {
		return Result{true, fmt.Sprintf("fixed version %s (%q has no a.b.c to compare)", got, version)}
	}
	for i := range 3 {
		n, err := strconv.ParseUint(m[i+1], 10, 16)
		if err != nil || uint16(n) != got[i] {
			return Result{false, fmt.Sprintf("fixed product version %s does not start with %s.%s.%s", got, m[1], m[2], m[3])}
		}
	}
	return Result{true, "fixed product version " + got.String()}
}

// readVersionInfo finds the first RT_VERSION resource and parses it.
func readVersionInfo(f *pe.File) (VersionInfo, error) {
	data, err := findResource(f, rtVersion)
	if err != nil {
		return VersionInfo{}, err
	}
	return parseVersionInfo(data)
}

var errNoVersion = errors.New("no RT_VERSION resource")

package discovery

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/samber/lo"

	"fragmenteditor/backend/registry"
)

// candidate is one final name offered by one backend in one run, before
// replicas are grouped and names disambiguated.
type candidate struct {
	Name    string // final name ("name:tag" or "name")
	ID      string // the backend's true id
	Backend registry.Backend
	Tags    []string // the endpoint's tags
	Raw     json.RawMessage
	Through string // the llproxy instance that listed it, if any
}

// numbering remembers disambiguated names from run to run:
// final name → true id → N in "name:N".
type numbering map[string]map[string]int

// buildModels groups candidates (given in endpoint, then port order) into
// models, following the package doc's replica and disambiguation rules, and
// sorts them by final name. prev is the numbering of the previous run; the
// returned numbering is the one to pass to the next run. Pure: it does not
// modify prev.
func buildModels(cands []candidate, prev numbering) ([]registry.Model, numbering) {
	byName := lo.GroupBy(cands, func(c candidate) string { return c.Name })
	names := lo.Keys(byName)
	slices.Sort(names)

	idsOf := make(map[string][]string, len(names))
	taken := make(map[string]bool, len(cands))
	var numbered []string
	for _, name := range names {
		ids := lo.Uniq(lo.Map(byName[name], func(c candidate, _ int) string { return c.ID }))
		idsOf[name] = ids
		if len(ids) == 1 && !hasNumber(prev, name, ids[0]) {
			taken[name] = true
		} else {
			numbered = append(numbered, name)
		}
	}

	next := numbering{}
	for _, name := range numbered {
		next[name] = assignNumbers(name, idsOf[name], prev[name], taken)
	}

	models := make([]registry.Model, 0, len(cands))
	for _, name := range names {
		for _, id := range idsOf[name] {
			final := name
			if n, ok := next[name][id]; ok {
				final = numberedName(name, n)
			}
			group := lo.Filter(byName[name], func(c candidate, _ int) bool { return c.ID == id })
			models = append(models, newModel(final, id, group))
		}
	}
	slices.SortFunc(models, func(a, b registry.Model) int { return strings.Compare(a.Name, b.Name) })
	return models, next
}

// assignNumbers numbers the ids sharing one final name: an id keeps the
// number it had (prev), the others get the lowest free numbers in the order
// given. Every "name:N" handed out is added to taken and never collides
// with a name already in it.
func assignNumbers(name string, ids []string, prev map[string]int, taken map[string]bool) map[string]int {
	out := make(map[string]int, len(ids))
	used := map[int]bool{}
	for _, id := range ids {
		if n, ok := prev[id]; ok && !used[n] && !taken[numberedName(name, n)] {
			out[id], used[n] = n, true
			taken[numberedName(name, n)] = true
		}
	}
	n := 0
	for _, id := range ids {
		if _, ok := out[id]; ok {
			continue
		}
		for used[n] || taken[numberedName(name, n)] {
			n++
		}
		out[id], used[n] = n, true
		taken[numberedName(name, n)] = true
	}
	return out
}

// newModel builds one model from the candidates of one (final name, id),
// given in endpoint and port order. A server met more than once (the same
// base URL in two endpoints) is one replica, not several. The model came
// through an llproxy only when no candidate is first-hand.
func newModel(final, id string, group []candidate) registry.Model {
	backends := lo.UniqBy(lo.Map(group, func(c candidate, _ int) registry.Backend { return c.Backend }),
		func(b registry.Backend) string { return b.BaseURL })
	tags := lo.Uniq(lo.FlatMap(group, func(c candidate, _ int) []string { return c.Tags }))
	if len(tags) == 0 {
		tags = nil
	}
	through := group[0].Through
	if lo.SomeBy(group, func(c candidate) bool { return c.Through == "" }) {
		through = ""
	}
	return registry.Model{Name: final, ID: id, Tags: tags, Replicas: backends, Raw: group[0].Raw, Through: through}
}

func hasNumber(prev numbering, name, id string) bool {
	_, ok := prev[name][id]
	return ok
}

func numberedName(name string, n int) string { return name + ":" + strconv.Itoa(n) }

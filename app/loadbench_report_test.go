package app_test

import (
	"fmt"
	"net/http"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ac-creteil/pilotage/views/fr"
)

// The report of the load benchmark (loadbench_test.go): each row's goal and verdict, and the
// French Markdown table that goes into the README.

// loadRow is one line of the table: a page as a role under load and with a single client,
// its floor, and for the home page and the dashboards the bare indexed page.
type loadRow struct {
	target  loadTarget
	role    string
	status  int       // the probe's status; the page is measured only when 200
	page    loadStats // under load
	single  loadStats // one client: the latency of the page itself, without queueing
	floor   loadStats
	indexed *loadStats
}

// floorRatio is the page's requests per second over its floor's.
func (r loadRow) floorRatio() float64 { return ratio(r.page.rate(), r.floor.rate()) }

// indexedRatio is the page's requests per second over the bare indexed page's.
func (r loadRow) indexedRatio() float64 {
	if r.indexed == nil {
		return 0
	}
	return ratio(r.page.rate(), r.indexed.rate())
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// verdict says whether the row meets its goal, and why not.
func (r loadRow) verdict() string {
	if r.status != http.StatusOK {
		return "non mesurée"
	}
	// With loadClients clients on a few cores, a request mostly waits for the others (the
	// p50 under load is about loadClients / requests per second): the latency goals hold
	// for the page alone, measured with one client.
	p50 := r.single.metrics.Latencies.P50
	var misses []string
	check := func(ok bool, miss string) {
		if !ok {
			misses = append(misses, miss)
		}
	}
	switch r.target.goal {
	case goalDashboard:
		check(p50 <= 15*time.Millisecond, "p50 > 15 ms")
		check(r.indexedRatio() >= 0.5, "< 0,5× page indexée")
	case goalList:
		check(p50 <= 10*time.Millisecond, "p50 > 10 ms")
		check(r.floorRatio() >= 0.5, "< 0,5× plancher")
	case goalSearch:
		check(p50 <= 5*time.Millisecond, "p50 > 5 ms")
		check(r.floorRatio() >= 0.5, "< 0,5× plancher")
	case goalExport:
		check(ratio(r.floor.rate(), r.page.rate()) <= 1.3, "temps > 1,3× plancher")
	}
	if len(misses) == 0 {
		return "atteint"
	}
	return "non : " + strings.Join(misses, ", ")
}

// goalText is the goal of a kind of page, in the table's legend.
var goalText = map[goalKind]string{
	goalDashboard: "accueil et tableaux de bord : p50 à 1 client ≤ 15 ms et ≥ 0,5× la page indexée",
	goalList:      "listes, registres et API : p50 à 1 client ≤ 10 ms et ≥ 0,5× le plancher",
	goalSearch:    "recherche de communes : p50 à 1 client ≤ 5 ms et ≥ 0,5× le plancher",
	goalExport:    "exports : temps ≤ 1,3× le plancher, soit rapport ≥ 0,77×",
}

// loadTable is the Markdown table of an engine.
func loadTable(engine string, rows []loadRow) string {
	var b strings.Builder
	fmt.Fprintf(&b, "#### %s\n\n", engine)
	b.WriteString("| page | rôle | statuts | req/s | p50 | p99 | p50 à 1 client | plancher req/s | rapport | page indexée req/s | rapport | objectif |\n")
	b.WriteString("|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|---|\n")
	for _, r := range rows {
		cells := []string{"`" + r.target.path + "`", r.role, statuses(r)}
		if r.status != http.StatusOK {
			cells = append(cells, "—", "—", "—", "—", "—", "—", "—", "—")
		} else {
			cells = append(cells, rate(r.page.rate()), latency(r.page.metrics.Latencies.P50), latency(r.page.metrics.Latencies.P99),
				latency(r.single.metrics.Latencies.P50), rate(r.floor.rate()), times(r.floorRatio()))
			if r.indexed != nil {
				cells = append(cells, rate(r.indexed.rate()), times(r.indexedRatio()))
			} else {
				cells = append(cells, "—", "—")
			}
		}
		cells = append(cells, r.verdict())
		b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
	}
	b.WriteString("\nObjectifs : ")
	for i, k := range []goalKind{goalDashboard, goalList, goalSearch, goalExport} {
		if i > 0 {
			b.WriteString(" ; ")
		}
		b.WriteString(goalText[k])
	}
	b.WriteString(".\n\n")
	return b.String()
}

// statuses lists the statuses of the page's answers: "200", or "200 ×950, 500 ×3".
func statuses(r loadRow) string {
	if r.status != http.StatusOK || len(r.page.codes) == 0 {
		return strconv.Itoa(r.status)
	}
	if len(r.page.codes) == 1 && r.page.codes[http.StatusOK] > 0 {
		return "200"
	}
	codes := make([]int, 0, len(r.page.codes))
	for c := range r.page.codes {
		codes = append(codes, int(c))
	}
	sort.Ints(codes)
	var parts []string
	for _, c := range codes {
		label := strconv.Itoa(c)
		if c == 0 {
			label = "erreur"
		}
		parts = append(parts, label+" ×"+fr.Int(r.page.codes[uint16(c)]))
	}
	return strings.Join(parts, ", ")
}

func rate(r float64) string {
	if r >= 100 {
		return fr.Int(int64(r + 0.5))
	}
	return fr.Decimal(r, 1)
}

func latency(d time.Duration) string {
	if d >= time.Second {
		return fr.Decimal(d.Seconds(), 2) + " s"
	}
	return fr.Decimal(float64(d)/float64(time.Millisecond), 1) + " ms"
}

func times(x float64) string { return fr.Decimal(x, 2) + "×" }

func engineLabel(name string) string {
	if name == "postgres" {
		return "PostgreSQL"
	}
	return "SQLite"
}

// machine describes the machine running the benchmark: processor, cores, Go.
func machine() string {
	cpu := runtime.GOARCH
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.SplitSeq(string(data), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	return fmt.Sprintf("%s, %d cœurs, %s", cpu, runtime.NumCPU(), runtime.Version())
}

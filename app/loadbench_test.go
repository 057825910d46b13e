package app_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
	"github.com/ac-creteil/pilotage/views/fr"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// The load benchmark (`make bench-load`, README « Banc de charge »): the real server on the
// national synthetic data, a fixed list of pages driven by concurrent clients for a fixed
// time, each interleaved with its floor (loadbench_floor_test.go), and a French table of
// requests per second, p50, p99 and the ratio to the floor. It reports the goals of the
// pages and never fails on a time: only a page or a floor that does not answer is an error.
//
// Every new module's pages join loadTargets.

// Environment of the load benchmark.
const (
	envLoad         = "PILOTAGE_BENCH_LOAD"          // "1" runs it
	envLoadDuration = "PILOTAGE_BENCH_LOAD_DURATION" // time per page (and per floor), "5s" by default
	envLoadOut      = "PILOTAGE_BENCH_LOAD_OUT"      // Markdown file receiving the tables
)

const (
	// loadClients is the number of concurrent clients driving a page or a floor.
	loadClients = 32
	// exportClients drives the exports: 32 clients each building a 47,000-row workbook at
	// once only measure the queue (each answer after half a minute, 2 GiB of heap) on 2
	// cores; 4 keep both cores busy, which is all a ratio to the bare writer needs.
	exportClients = 4
	// loadRounds is the number of times a page and its floor take turns, each for
	// duration/loadRounds, so that a change in the machine's load touches both alike.
	loadRounds = 2
)

// goalKind says which goal a page is held to.
type goalKind int

const (
	goalDashboard goalKind = iota // home and dashboards: p50 ≤ 15 ms, ≥ 0.5× the bare indexed page
	goalList                      // lists, registers, API: p50 ≤ 10 ms, ≥ 0.5× the same-SQL floor
	goalSearch                    // the communes search: p50 ≤ 5 ms, ≥ 0.5× the same-SQL floor
	goalExport                    // exports: at most 1.3× the time of a bare writer of the same rows
)

// loadTarget is one page of the benchmark and its floor.
type loadTarget struct {
	name      string // the floor's name in the floor server
	path      string // the page
	goal      goalKind
	adminOnly bool // a page beyond the last one of a département (404 for the IA-DASEN)
	floor     func(*models.Store) floorFunc
}

// loadTargets is the fixed list of pages. Page numbers exist in the national data (35,593
// communes, 47,642 écoles, about 30,000 decisions and 1,000 conventions, 50 rows a page).
func loadTargets() []loadTarget {
	return []loadTarget{
		{name: "accueil", path: "/", goal: goalDashboard, floor: homeFloor},
		{name: "departements", path: "/departements", goal: goalDashboard, floor: departementsFloor},
		{name: "communes", path: "/communes", goal: goalList, floor: communesFloor(models.CommuneFilter{}, 1, false)},
		{name: "communes-page700", path: "/communes?page=700", goal: goalList, adminOnly: true,
			floor: communesFloor(models.CommuneFilter{}, 700, false)},
		{name: "communes-saint", path: "/communes?q=saint", goal: goalSearch,
			floor: communesFloor(models.CommuneFilter{Q: "saint"}, 1, false)},
		{name: "ecoles-public-page50", path: "/ecoles?statut=public&page=50", goal: goalList, adminOnly: true,
			floor: ecolesFloor(models.EcoleFilter{Statut: "public"}, 50, false)},
		{name: "ecoles-page950", path: "/ecoles?page=950", goal: goalList, adminOnly: true,
			floor: ecolesFloor(models.EcoleFilter{}, 950, false)},
		{name: "ecoles-page5", path: "/ecoles?page=5", goal: goalList, floor: ecolesFloor(models.EcoleFilter{}, 5, false)},
		{name: "decisions", path: "/decisions", goal: goalList, floor: decisionsFloor(1)},
		{name: "decisions-page600", path: "/decisions?page=600", goal: goalList, adminOnly: true, floor: decisionsFloor(600)},
		{name: "conventions", path: "/conventions", goal: goalList, floor: conventionsFloor(1)},
		{name: "conventions-page10", path: "/conventions?page=10", goal: goalList, adminOnly: true, floor: conventionsFloor(10)},
		{name: "financements", path: "/financements", goal: goalList, floor: financementsFloor(1)},
		{name: "couverture", path: "/chartes/couverture", goal: goalDashboard, floor: coverageFloor},
		{name: "alertes", path: "/conventions/alertes", goal: goalDashboard, floor: alertsFloor},
		{name: "api-communes", path: "/api/v1/communes", goal: goalList, floor: communesFloor(models.CommuneFilter{}, 1, true)},
		{name: "api-ecoles-page100", path: "/api/v1/ecoles?page=100", goal: goalList, adminOnly: true,
			floor: ecolesFloor(models.EcoleFilter{}, 100, true)},
		{name: "ecoles-xlsx", path: "/ecoles.xlsx", goal: goalExport, floor: ecolesXLSXFloor},
		{name: "communes-csv", path: "/communes.csv", goal: goalExport, floor: communesCSVFloor},
	}
}

// loadRole is a signed-in role driving the pages.
type loadRole struct {
	key    string // its name in the floor server's paths
	label  string // its name in the table
	admin  bool
	cookie string // Cookie header of its session
}

func TestLoadBench(t *testing.T) {
	if os.Getenv(envLoad) != "1" {
		t.Skipf("banc de charge : lancez-le avec %s=1 (make bench-load)", envLoad)
	}
	duration := loadDuration(t)
	var out strings.Builder
	fmt.Fprintf(&out, "Banc de charge du %s (%s) : chaque page %s sous charge avec %d clients simultanés (%d pour les exports), "+
		"son plancher autant, en %d tours alternés, puis la moitié de ce temps avec un seul client.\n\n",
		time.Now().Format("02/01/2006"), machine(), duration, loadClients, exportClients, loadRounds)
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			table := runLoadBench(t, e, duration)
			fmt.Print("\n" + table)
			out.WriteString(table)
		})
	}
	if path := os.Getenv(envLoadOut); path != "" {
		if err := os.WriteFile(path, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("tableaux écrits dans %s", path)
	}
}

// loadDuration reads PILOTAGE_BENCH_LOAD_DURATION: a Go duration ("3s", "1m") or seconds.
func loadDuration(t *testing.T) time.Duration {
	v := os.Getenv(envLoadDuration)
	if v == "" {
		return 5 * time.Second
	}
	if n, err := strconv.Atoi(v); err == nil && n > 0 {
		return time.Duration(n) * time.Second
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		t.Fatalf("%s=%q : durée attendue, par exemple 5s", envLoadDuration, v)
	}
	return d
}

// runLoadBench builds the national data on the engine, starts the real server and the
// floors, drives every page as each role, and returns the engine's Markdown table.
func runLoadBench(t *testing.T, e dbtest.Engine, duration time.Duration) string {
	ctx := context.Background()
	store := e.Open(t, true)
	start := time.Now()
	if _, err := seeds.LoadSynthetic(ctx, store, seeds.SyntheticOptions{Communes: 35000, Ecoles: 45000}); err != nil {
		t.Fatal(err)
	}
	t.Logf("%s : territoire synthétique chargé en %s", e.Name, time.Since(start).Round(time.Second))

	roles := []loadRole{
		{key: "admin", label: "administrateur", admin: true},
		{key: "ia", label: "IA-DASEN 31"},
	}
	inputs := []models.UserInput{
		{Email: "admin.charge@ac-creteil.fr", Nom: "Administrateur Charge", Role: models.RoleAdmin},
		{Email: "ia31.charge@ac-creteil.fr", Nom: "IA-DASEN Charge", Role: models.RoleIA, Departement: "31"},
	}
	scopes := map[string]models.Scope{}
	for i, in := range inputs {
		roles[i].cookie = signIn(t, store, in)
		u, err := store.FindUserByEmail(ctx, in.Email)
		if err != nil {
			t.Fatal(err)
		}
		if scopes[roles[i].key], err = store.UserScope(ctx, u); err != nil {
			t.Fatal(err)
		}
	}

	targets := loadTargets()
	pages := httptest.NewServer(newAnonymousServer(t, store, app.Config{}))
	t.Cleanup(pages.Close)
	floors := httptest.NewServer(newFloorServer(store, scopes, targets))
	t.Cleanup(floors.Close)
	b := &loadBench{t: t, client: loadClient(), duration: duration}
	t.Cleanup(b.client.CloseIdleConnections)

	var rows []loadRow
	for _, role := range roles {
		for _, tg := range targets {
			if tg.adminOnly && !role.admin {
				continue
			}
			row := loadRow{target: tg, role: role.label}
			clients := loadClients
			if tg.goal == goalExport {
				clients = exportClients
			}
			ends := []*loadEndpoint{
				{url: pages.URL + tg.path, cookie: role.cookie, stats: &row.page},
				{url: floors.URL + "/" + role.key + "/" + tg.name, stats: &row.floor},
			}
			if tg.goal == goalDashboard {
				row.indexed = &loadStats{}
				ends = append(ends, &loadEndpoint{url: floors.URL + "/" + role.key + "/" + indexedFloor, stats: row.indexed})
			}
			if row.status = b.probe(ends[0]); row.status != http.StatusOK {
				t.Logf("%s (%s) : statut %d, page non mesurée", tg.path, role.label, row.status)
				rows = append(rows, row)
				continue
			}
			for _, end := range ends[1:] {
				if code := b.probe(end); code != http.StatusOK {
					t.Errorf("plancher %s (%s) : statut %d", end.url, role.label, code)
				}
			}
			single := &loadEndpoint{url: ends[0].url, cookie: role.cookie, stats: &row.single}
			turn := duration / loadRounds
			for range loadRounds {
				for _, end := range ends {
					b.attack(end, clients, turn)
				}
				b.attack(single, 1, turn/2)
			}
			for _, s := range []*loadStats{&row.page, &row.single, &row.floor, row.indexed} {
				if s != nil {
					s.metrics.Close()
				}
			}
			t.Logf("%s (%s) : %s req/s, p50 %s (%s à 1 client), plancher %s req/s", tg.path, role.label,
				rate(row.page.rate()), latency(row.page.metrics.Latencies.P50), latency(row.single.metrics.Latencies.P50),
				rate(row.floor.rate()))
			rows = append(rows, row)
		}
	}
	return loadTable(engineLabel(e.Name), rows)
}

// loadClient is the HTTP client of every attack: keep-alive connections reused from one
// turn to the next, redirects not followed (a redirect to the login page shows as a 303).
func loadClient() *http.Client {
	return &http.Client{
		Timeout:       10 * time.Minute,
		Transport:     &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 128, DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// loadBench drives the attacks.
type loadBench struct {
	t        *testing.T
	client   *http.Client
	duration time.Duration
}

// loadEndpoint is a page or a floor and what was measured on it.
type loadEndpoint struct {
	url    string
	cookie string
	stats  *loadStats
}

// loadStats adds up the turns of one endpoint: every latency, the statuses, and the time
// spent attacking it (its requests per second are over that time only).
type loadStats struct {
	metrics  vegeta.Metrics
	requests int
	elapsed  time.Duration
	codes    map[uint16]int
}

func (s *loadStats) rate() float64 {
	if s.elapsed <= 0 {
		return 0
	}
	return float64(s.requests) / s.elapsed.Seconds()
}

// probe sends one request (which also warms the endpoint up) and returns its status.
func (b *loadBench) probe(end *loadEndpoint) int {
	req, err := http.NewRequest(http.MethodGet, end.url, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	if end.cookie != "" {
		req.Header.Set("Cookie", end.cookie)
	}
	res, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s : %v", end.url, err)
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, res.Body)
	return res.StatusCode
}

// attack drives the endpoint with clients concurrent clients, each sending its next
// request as soon as the previous one is answered, for du (answers in flight then are
// waited for and counted).
func (b *loadBench) attack(end *loadEndpoint, clients int, du time.Duration) {
	header := http.Header{}
	if end.cookie != "" {
		header.Set("Cookie", end.cookie)
	}
	attacker := vegeta.NewAttacker(vegeta.Client(b.client), vegeta.Workers(uint64(clients)),
		vegeta.MaxWorkers(uint64(clients)), vegeta.MaxBody(0))
	targeter := vegeta.NewStaticTargeter(vegeta.Target{Method: http.MethodGet, URL: end.url, Header: header})
	s := end.stats
	if s.codes == nil {
		s.codes = map[uint16]int{}
	}
	start := time.Now()
	for res := range attacker.Attack(targeter, vegeta.ConstantPacer{}, du, "") {
		s.metrics.Add(res)
		s.requests++
		s.codes[res.Code]++
	}
	s.elapsed += time.Since(start)
}

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

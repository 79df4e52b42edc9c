// Command live is the load run of Guichet's subscriptions: many WebSocket
// subscribers to one performance's seatsChanged while the ticketing sandbox
// sells seats at a steady rate, each sale pushed to Guichet's hook. It
// reports whether every client ends with the latest count, how many events
// each client got per second (the throttle allows one per performance per
// second), the upstream reads the run cost, and Guichet's memory per
// connection. Guichet runs as its own process, built from this module.
//
//	go run ./bench/live                         # 1,000 subscribers, 50 sales/s, 10 s
//	go run ./bench/live -clients 200 -rate 20 -duration 5s
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
	bilsandbox "github.com/guichet/guichet/sandbox/billetterie"
)

const secret = "bench-live-secret-0123456789"

func main() {
	clients := flag.Int("clients", 1000, "concurrent WebSocket subscribers to one performance")
	rate := flag.Float64("rate", 50, "sales per second pushed to Guichet")
	duration := flag.Duration("duration", 10*time.Second, "how long sales go on")
	flag.Parse()
	if err := run(*clients, *rate, *duration); err != nil {
		log.Fatal(err)
	}
}

type client struct {
	mu     sync.Mutex
	events []time.Time
	last   int
}

func run(clients int, rate float64, duration time.Duration) error {
	tmp, err := os.MkdirTemp("", "guichet-live-bench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "guichet")
	log.Printf("building guichet")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %v\n%s", err, out)
	}

	// The ticketing sandbox runs here, so the run can set its counts and
	// drive sales; AboWeb stays embedded in Guichet.
	sc := bilsandbox.DefaultConfig()
	sb := bilsandbox.New(sc)
	up := httptest.NewServer(sb)
	defer up.Close()
	seed := sb.Seed()
	perf := seed.Shows[0].PerformanceIDs[0]
	start := int(rate*duration.Seconds()) + 1000
	sb.SetAvailability(perf, start)

	addr, err := freeAddr()
	if err != nil {
		return err
	}
	base := "http://" + addr
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "GUICHET_ADDR="+addr, "GUICHET_DATA_DIR="+filepath.Join(tmp, "data"),
		"GUICHET_HOOK_SECRET="+secret, "GUICHET_SUBSCRIPTIONS_PER_IP="+strconv.Itoa(clients+10), "GUICHET_LOG_LEVEL=warn",
		"BILLETTERIE_URL="+up.URL+"/", "BILLETTERIE_LOGIN="+sc.Login, "BILLETTERIE_PASSWORD="+sc.Password,
		"BILLETTERIE_CLIENT="+sc.Client, "BILLETTERIE_API_URL="+up.URL+"/", "BILLETTERIE_API_LOGIN="+sc.APILogin,
		"BILLETTERIE_API_KEY="+sc.APIKey, "BILLETTERIE_PWD_KEY="+sc.PwdKey)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}()
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if resp, err := http.Get(base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("guichet not ready")
		}
	}
	hook := base + "/hooks/billetterie/" + secret + "/purchase"
	sb.SetCallbacks(bilsandbox.Callbacks{Order: hook})
	time.Sleep(300 * time.Millisecond)
	rss0, heap0 := memory(cmd.Process.Pid, base)

	log.Printf("connecting %d subscribers to performance %s", clients, perf)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cs := make([]*client, clients)
	var ready sync.WaitGroup
	var failed atomic.Int64
	sem := make(chan struct{}, 50) // connection attempts in flight
	for i := range cs {
		cs[i] = &client{last: -1}
		ready.Add(1)
		sem <- struct{}{}
		go func(c *client) {
			first := true
			err := subscribe(ctx, base, perf, func(n int) {
				c.mu.Lock()
				c.events = append(c.events, time.Now())
				c.last = n
				c.mu.Unlock()
				if first {
					first = false
					<-sem
					ready.Done()
				}
			})
			if first {
				failed.Add(1)
				<-sem
				ready.Done()
				if err != nil {
					log.Printf("subscriber: %v", err)
				}
			}
		}(cs[i])
	}
	ready.Wait()
	if f := failed.Load(); f > 0 {
		return fmt.Errorf("%d subscribers failed", f)
	}
	time.Sleep(500 * time.Millisecond)
	rss1, heap1 := memory(cmd.Process.Pid, base)
	calls := sb.Calls()
	upBefore := calls.Get("ws_det_representation") + calls.Get("ws_det_spectacle")

	log.Printf("selling %.0f seats per second for %s", rate, duration)
	for _, c := range cs { // count only the run's events
		c.mu.Lock()
		c.events = nil
		c.mu.Unlock()
	}
	every := time.Duration(float64(time.Second) / rate)
	t0 := time.Now()
	sold, pushFail := 0, 0
	var pushLat []time.Duration
	for next := t0; time.Since(t0) < duration; next = next.Add(every) {
		time.Sleep(time.Until(next))
		s := time.Now()
		res, err := sb.SimulatePurchase(ctx, bilsandbox.Purchase{Contact: seed.DemoContactID, Performance: perf, Seats: 1})
		pushLat = append(pushLat, time.Since(s))
		if err != nil || !res.Pushed {
			pushFail++
			continue
		}
		sold++
	}
	selling := time.Since(t0)
	want := start - sold - pushFail // a failed push still sold its seat
	// Every client must end with the latest count.
	var late int
	deadline := time.Now().Add(5 * time.Second)
	for {
		late = 0
		for _, c := range cs {
			c.mu.Lock()
			if c.last != want {
				late++
			}
			c.mu.Unlock()
		}
		if late == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	settled := time.Since(t0) - selling
	upCalls := calls.Get("ws_det_representation") + calls.Get("ws_det_spectacle") - upBefore

	// Events per client per second, and the shortest gap between two.
	var perSec []float64
	var gaps []time.Duration
	maxInSecond := 0
	for _, c := range cs {
		c.mu.Lock()
		perSec = append(perSec, float64(len(c.events))/(selling+settled).Seconds())
		buckets := map[int64]int{}
		for i, at := range c.events {
			b := at.Sub(t0).Milliseconds() / 1000
			buckets[b]++
			if buckets[b] > maxInSecond {
				maxInSecond = buckets[b]
			}
			if i > 0 {
				gaps = append(gaps, at.Sub(c.events[i-1]))
			}
		}
		c.mu.Unlock()
	}
	sort.Float64s(perSec)
	sort.Slice(gaps, func(i, j int) bool { return gaps[i] < gaps[j] })
	sort.Slice(pushLat, func(i, j int) bool { return pushLat[i] < pushLat[j] })
	pct := func(d []time.Duration, p float64) time.Duration {
		if len(d) == 0 {
			return 0
		}
		return d[int(float64(len(d)-1)*p)]
	}
	fmt.Printf("\nLive load: %d WebSocket subscribers to seatsChanged of one performance, %d sales in %s (%.1f/s), %d pushes failed\n",
		clients, sold, selling.Round(time.Millisecond), float64(sold)/selling.Seconds(), pushFail)
	fmt.Printf("  latest count (%d) reached by %d of %d clients, %s after the last sale\n", want, clients-late, clients, settled.Round(time.Millisecond))
	fmt.Printf("  events per client per second: median %.2f, max %.2f; most in one wall-clock second: %d; shortest gap between two events: %s (1st percentile %s)\n",
		perSec[len(perSec)/2], perSec[len(perSec)-1], maxInSecond, pct(gaps, 0).Round(time.Millisecond), pct(gaps, 0.01).Round(time.Millisecond))
	fmt.Printf("  upstream seat reads during the run: %d (%.2f/s)\n", upCalls, float64(upCalls)/(selling+settled).Seconds())
	fmt.Printf("  push (sale → hook acknowledged) latency: p50 %s, p99 %s\n", pct(pushLat, 0.5).Round(time.Microsecond), pct(pushLat, 0.99).Round(time.Microsecond))
	fmt.Printf("  guichet memory: RSS %.1f → %.1f MiB, Go heap in use %.1f → %.1f MiB: %.1f KiB RSS, %.1f KiB heap per connection\n",
		mib(rss0), mib(rss1), mib(heap0), mib(heap1), float64(rss1-rss0)/1024/float64(clients), float64(heap1-heap0)/1024/float64(clients))
	if late > 0 {
		return fmt.Errorf("%d clients did not get the latest count", late)
	}
	return nil
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

// subscribe holds one graphql-transport-ws subscription, calling got with
// each count, until ctx ends.
func subscribe(ctx context.Context, base, perf string, got func(int)) error {
	conn, _, err := websocket.Dial(ctx, strings.Replace(base, "http", "ws", 1)+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		return err
	}
	defer conn.CloseNow()
	if err := wsjson.Write(ctx, conn, map[string]any{"type": "connection_init"}); err != nil {
		return err
	}
	q := `subscription($ids: [ID!]!) { seatsChanged(performanceIds: $ids) { availability { seatsLeft } } }`
	if err := wsjson.Write(ctx, conn, map[string]any{"id": "1", "type": "subscribe",
		"payload": map[string]any{"query": q, "variables": map[string]any{"ids": []string{perf}}}}); err != nil {
		return err
	}
	for {
		var m struct {
			Type    string
			Payload json.RawMessage
		}
		if err := wsjson.Read(ctx, conn, &m); err != nil {
			return err
		}
		switch m.Type {
		case "ping":
			wsjson.Write(ctx, conn, map[string]any{"type": "pong"})
		case "next":
			var p struct {
				Data struct {
					SeatsChanged struct{ Availability struct{ SeatsLeft int } }
				}
			}
			json.Unmarshal(m.Payload, &p)
			got(p.Data.SeatsChanged.Availability.SeatsLeft)
		case "error", "complete":
			return fmt.Errorf("%s %s", m.Type, m.Payload)
		}
	}
}

// memory is the RSS of pid and Guichet's Go heap in use (from /metrics).
func memory(pid int, base string) (rss, heap int64) {
	if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid)); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
				kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
				rss = kb << 10
			}
		}
	}
	if resp, err := http.Get(base + "/metrics"); err == nil {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if v, ok := strings.CutPrefix(sc.Text(), "go_memstats_heap_inuse_bytes "); ok {
				f, _ := strconv.ParseFloat(v, 64)
				heap = int64(f)
			}
		}
		resp.Body.Close()
	}
	return rss, heap
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

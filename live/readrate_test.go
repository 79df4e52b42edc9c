package live

import (
	"bytes"
	"io"
	"net"
	"testing"
	"time"
)

// Ensure a connection sending faster than the rate is read at the rate
// after its burst: the waits asked for add up to what the extra bytes owe,
// no read hands on more than a burst, and every byte arrives intact.
func TestPacedConnReadsAtTheRate(t *testing.T) {
	const rate, burst, total = 4096, 64 << 10, 200 << 10
	client, server := net.Pipe()
	defer client.Close()
	sent := bytes.Repeat([]byte("0123456789abcdef"), total/16)
	go func() {
		client.Write(sent)
		client.Close()
	}()
	clock := time.Unix(0, 0)
	var waited time.Duration
	waits := 0
	c := newPacedConn(server, rate, burst, func() time.Time { return clock }, func() { waits++ })
	c.wait = func(d time.Duration, _ <-chan struct{}) { waited += d; clock = clock.Add(d) }
	var got bytes.Buffer
	buf := make([]byte, 256<<10)
	for {
		n, err := c.Read(buf)
		if n > burst {
			t.Fatalf("one read handed on %d bytes, more than the %d-byte burst", n, burst)
		}
		got.Write(buf[:n])
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(got.Bytes(), sent) {
		t.Fatalf("read %d bytes, not the %d sent", got.Len(), len(sent))
	}
	want := time.Duration(float64(total-burst) / rate * float64(time.Second))
	if waited < want-10*time.Millisecond || waited > want+10*time.Millisecond {
		t.Fatalf("waited %v in total, want %v ((%d-%d) bytes at %d B/s)", waited, want, total, burst, rate)
	}
	if waits == 0 {
		t.Fatal("no wait was counted")
	}
}

// Ensure a slow sender within its rate never waits.
func TestPacedConnWithinTheRate(t *testing.T) {
	client, server := net.Pipe()
	defer client.Close()
	clock := time.Unix(0, 0)
	c := newPacedConn(server, 1024, 4096, func() time.Time { return clock }, func() { t.Error("a read within the rate waited") })
	c.wait = func(time.Duration, <-chan struct{}) { t.Error("a read within the rate waited") }
	go func() {
		for range 50 {
			client.Write(make([]byte, 512))
		}
		client.Close()
	}()
	buf := make([]byte, 4096)
	for {
		n, err := c.Read(buf)
		clock = clock.Add(time.Duration(n) * time.Second / 1024) // the sender's own pace
		if err != nil {
			break
		}
	}
}

// Ensure closing the connection wakes a reader waiting for its turn, so a
// drained or dropped WebSocket does not hold a goroutine for the debt.
func TestPacedConnCloseWakesTheReader(t *testing.T) {
	client, server := net.Pipe()
	defer client.Close()
	c := newPacedConn(server, 1, 1024, time.Now, func() {}) // 1 B/s: a 1 KiB debt is 17 min
	go client.Write(make([]byte, 2048))
	buf := make([]byte, 2048)
	if _, err := c.Read(buf); err != nil { // the burst
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		c.Read(buf) // owes about 1,000 s
		close(done)
	}()
	time.Sleep(50 * time.Millisecond)
	c.Close()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the reader still waits after Close")
	}
}

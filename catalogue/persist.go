package catalogue

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/gob"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// SyncState is what the sync remembers between runs, persisted with the
// snapshot.
type SyncState struct {
	Version     string    // version of the snapshot this state goes with
	LastSync    time.Time // start of the last successful pull or full load: the next date_modif
	LastFull    time.Time // start of the last successful full load
	LastAttempt time.Time // last pull or full load tried, successful or not
	LastError   string    // last failure, "" once a later sync succeeded
	LastErrorAt time.Time
}

// inParisZone shows the dates in Paris time, whatever zone they were read in.
func (st SyncState) inParisZone() SyncState {
	st.LastSync, st.LastFull = inParisZone(st.LastSync), inParisZone(st.LastFull)
	st.LastAttempt, st.LastErrorAt = inParisZone(st.LastAttempt), inParisZone(st.LastErrorAt)
	return st
}

// Persister keeps the snapshot and its sync state across restarts.
type Persister interface {
	// Load returns the last saved snapshot and state, or an error wrapping
	// ErrNoSnapshot when there is none usable.
	Load(ctx context.Context) (*Snapshot, SyncState, error)
	// Save stores a snapshot and its state together.
	Save(ctx context.Context, s *Snapshot, st SyncState) error
	// SaveState stores the state alone (a pull that changed nothing, a
	// failure); it applies only while st.Version is the saved snapshot's.
	SaveState(ctx context.Context, st SyncState) error
}

// ErrNoSnapshot says nothing usable was saved: the caller does a full load.
var ErrNoSnapshot = errors.New("catalogue: no saved snapshot")

// The snapshot encoding: a fixed header then a gob payload. The header's
// format number changes whenever the payload's shape does, so an old or
// newer file is ignored (full load) instead of misread; the length and
// CRC catch a truncated or damaged file.
const (
	snapMagic      = "GUICHET-CATALOGUE\n"
	snapFormat     = uint32(1)
	snapHeaderSize = len(snapMagic) + 4 + 8 + 4
)

// errFormat marks a file written by another format version.
var errFormat = errors.New("catalogue: snapshot format not supported")

// payload is what the gob holds: the parts and the state, not the indexes,
// which New rebuilds.
type payload struct {
	Version  string
	LoadedAt time.Time
	State    SyncState
	Parts    Parts
}

// EncodeSnapshot writes s and st in the versioned snapshot format.
func EncodeSnapshot(w io.Writer, s *Snapshot, st SyncState) error {
	var body bytes.Buffer
	if err := gob.NewEncoder(&body).Encode(payload{Version: s.Version, LoadedAt: s.LoadedAt, State: st, Parts: s.Parts()}); err != nil {
		return fmt.Errorf("catalogue: encode snapshot: %w", err)
	}
	hdr := make([]byte, 0, snapHeaderSize)
	hdr = append(hdr, snapMagic...)
	hdr = binary.BigEndian.AppendUint32(hdr, snapFormat)
	hdr = binary.BigEndian.AppendUint64(hdr, uint64(body.Len()))
	hdr = binary.BigEndian.AppendUint32(hdr, crc32.Checksum(body.Bytes(), crcTable))
	if _, err := w.Write(hdr); err != nil {
		return err
	}
	_, err := w.Write(body.Bytes())
	return err
}

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// DecodeSnapshot reads what EncodeSnapshot wrote and rebuilds the indexes.
func DecodeSnapshot(b []byte) (*Snapshot, SyncState, error) {
	if len(b) < snapHeaderSize || string(b[:len(snapMagic)]) != snapMagic {
		return nil, SyncState{}, errors.New("catalogue: not a snapshot file")
	}
	h := b[len(snapMagic):]
	if f := binary.BigEndian.Uint32(h); f != snapFormat {
		return nil, SyncState{}, fmt.Errorf("%w: format %d, this build reads %d", errFormat, f, snapFormat)
	}
	n := binary.BigEndian.Uint64(h[4:])
	sum := binary.BigEndian.Uint32(h[12:])
	body := b[snapHeaderSize:]
	if uint64(len(body)) != n {
		return nil, SyncState{}, fmt.Errorf("catalogue: snapshot truncated: %d of %d bytes", len(body), n)
	}
	if crc32.Checksum(body, crcTable) != sum {
		return nil, SyncState{}, errors.New("catalogue: snapshot checksum mismatch")
	}
	var p payload
	if err := gob.NewDecoder(bytes.NewReader(body)).Decode(&p); err != nil {
		return nil, SyncState{}, fmt.Errorf("catalogue: decode snapshot: %w", err)
	}
	inParis(&p.Parts)
	return New(p.Version, p.LoadedAt, p.Parts), p.State, nil
}

// inParis restores the venue's zone, which gob keeps only as an offset.
func inParis(p *Parts) {
	for _, sh := range p.Shows {
		sh.ModifiedAt = inParisZone(sh.ModifiedAt)
		for _, pf := range sh.Performances {
			pf.StartsAt = inParisZone(pf.StartsAt)
		}
	}
	for _, x := range p.Passes {
		x.ModifiedAt = inParisZone(x.ModifiedAt)
	}
	for _, a := range p.Articles {
		a.ModifiedAt = inParisZone(a.ModifiedAt)
	}
}

func inParisZone(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.In(Paris)
}

// FilePersister keeps the snapshot in Dir: catalogue.snap (snapshot and the
// state at that time) and catalogue.state.json (the latest state). Each is
// replaced atomically: written to a temporary file, synced, renamed over
// the old one, and the directory synced, so a crash at any point leaves the
// previous good file in place.
type FilePersister struct{ Dir string }

const (
	snapFile  = "catalogue.snap"
	stateFile = "catalogue.state.json"
	tmpInfix  = ".tmp-"
)

// Load reads the saved snapshot; leftovers of interrupted writes are removed.
func (fp FilePersister) Load(ctx context.Context) (*Snapshot, SyncState, error) {
	fp.removeLeftovers()
	b, err := os.ReadFile(filepath.Join(fp.Dir, snapFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, SyncState{}, ErrNoSnapshot
	}
	if err != nil {
		return nil, SyncState{}, fmt.Errorf("%w: %v", ErrNoSnapshot, err)
	}
	s, st, err := DecodeSnapshot(b)
	if err != nil {
		return nil, SyncState{}, fmt.Errorf("%w: %v", ErrNoSnapshot, err)
	}
	if sb, err := os.ReadFile(filepath.Join(fp.Dir, stateFile)); err == nil {
		var later SyncState
		if json.Unmarshal(sb, &later) == nil && later.Version == s.Version && !later.LastAttempt.Before(st.LastAttempt) {
			st = later
		}
	}
	return s, st.inParisZone(), nil
}

// Save writes the snapshot file, then the state file.
func (fp FilePersister) Save(ctx context.Context, s *Snapshot, st SyncState) error {
	if err := fp.write(snapFile, func(w io.Writer) error { return EncodeSnapshot(w, s, st) }); err != nil {
		return err
	}
	return fp.SaveState(ctx, st)
}

// SaveState writes the state file.
func (fp FilePersister) SaveState(ctx context.Context, st SyncState) error {
	return fp.write(stateFile, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(st)
	})
}

func (fp FilePersister) write(name string, fill func(io.Writer) error) (err error) {
	if err := os.MkdirAll(fp.Dir, 0o750); err != nil {
		return fmt.Errorf("catalogue: data dir: %w", err)
	}
	f, err := os.CreateTemp(fp.Dir, name+tmpInfix+"*")
	if err != nil {
		return fmt.Errorf("catalogue: save %s: %w", name, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = fill(f); err != nil {
		return fmt.Errorf("catalogue: save %s: %w", name, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("catalogue: save %s: %w", name, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("catalogue: save %s: %w", name, err)
	}
	if err = os.Rename(f.Name(), filepath.Join(fp.Dir, name)); err != nil {
		return fmt.Errorf("catalogue: save %s: %w", name, err)
	}
	// The rename is durable only once the directory entry is.
	if d, derr := os.Open(fp.Dir); derr == nil {
		derr = d.Sync()
		d.Close()
		if derr != nil {
			return fmt.Errorf("catalogue: save %s: sync dir: %w", name, derr)
		}
	}
	return nil
}

func (fp FilePersister) removeLeftovers() {
	entries, err := os.ReadDir(fp.Dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		n := e.Name()
		if (strings.HasPrefix(n, snapFile+tmpInfix) || strings.HasPrefix(n, stateFile+tmpInfix)) && !e.IsDir() {
			os.Remove(filepath.Join(fp.Dir, n))
		}
	}
}

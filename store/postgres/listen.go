package postgres

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// channel is the LISTEN/NOTIFY channel replicas on one database share. A
// notice is "sender|kind|arg"; PostgreSQL delivers it at the commit of the
// transaction that sent it, and not at all on a rollback.
const channel = "mockpay"

const (
	kindChange = "change" // rows changed: long polls and workers look again
	kindClock  = "clock"  // the virtual clock's row changed
	kindApp    = "app"    // an app was saved (arg: its id)
	kindFaults = "faults" // an app's fault chain was chosen (arg: its id; "": every app's, after a reset)
)

// Events are what the wiring does when another replica changed what a
// process keeps in memory. They run on the listener's goroutine, one at a
// time; after a lost connection every one runs (App with ""), since notices
// sent meanwhile are lost.
type Events struct {
	Change func()             // rows changed there (nil: OnChange's function)
	Clock  func()             // read the clock row again
	App    func(appID string) // load the app again ("": all of them)
	Faults func(appID string) // load the app's fault chain again ("": every app's)
}

// OnEvents sets what runs on another replica's clock and app changes.
func (db *DB) OnEvents(e Events) {
	db.mu.Lock()
	defer db.mu.Unlock()
	db.events = e
}

func (db *DB) notify(ctx context.Context, tx pgx.Tx, kind, arg string) error {
	_, err := tx.Exec(ctx, `SELECT pg_notify($1, $2)`, channel, db.self+"|"+kind+"|"+arg)
	return err
}

// listen holds one connection (outside the pool) that LISTENs, and hands
// other replicas' notices to OnChange and the Events until ctx ends.
func (db *DB) listen(ctx context.Context) error {
	conn, err := db.listenConn(ctx)
	if err != nil {
		return err
	}
	db.listening.Add(1)
	go func() {
		defer db.listening.Done()
		for {
			db.receive(ctx, conn)
			conn.Close(context.Background())
			if ctx.Err() != nil {
				return
			}
			// The connection broke: connect again, then catch up on
			// whatever was said while nobody listened.
			for conn = nil; conn == nil; {
				if sleep(ctx, time.Second) != nil {
					return
				}
				conn, _ = db.listenConn(ctx)
			}
			db.dispatch(kindChange, "")
			db.dispatch(kindClock, "")
			db.dispatch(kindApp, "")
			db.dispatch(kindFaults, "")
		}
	}()
	return nil
}

func (db *DB) listenConn(ctx context.Context) (*pgx.Conn, error) {
	conn, err := pgx.ConnectConfig(ctx, db.pool.Config().ConnConfig.Copy())
	if err != nil {
		return nil, err
	}
	if _, err := conn.Exec(ctx, `LISTEN `+channel); err != nil {
		conn.Close(ctx)
		return nil, err
	}
	return conn, nil
}

func (db *DB) receive(ctx context.Context, conn *pgx.Conn) {
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return
		}
		sender, rest, _ := strings.Cut(n.Payload, "|")
		if sender == db.self {
			continue // this process acted on it at its commit
		}
		kind, arg, _ := strings.Cut(rest, "|")
		db.dispatch(kind, arg)
	}
}

func (db *DB) dispatch(kind, arg string) {
	db.mu.Lock()
	e := db.events
	db.mu.Unlock()
	switch kind {
	case kindChange:
		if e.Change != nil {
			e.Change()
		} else {
			db.changed()
		}
	case kindClock:
		if e.Clock != nil {
			e.Clock()
		}
	case kindApp:
		if e.App != nil {
			e.App(arg)
		}
		db.changed()
	case kindFaults:
		if e.Faults != nil {
			e.Faults(arg)
		}
	}
}

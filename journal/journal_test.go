package journal

import (
	"context"
	"testing"
	"time"
)

func TestRingKeepsTheLastN(t *testing.T) {
	r := New(3)
	for range 5 {
		r.Add(Entry{Status: 200})
	}
	got := r.List(Filter{})
	if len(got) != 3 || got[0].ID != 3 || got[2].ID != 5 {
		t.Fatalf("ring = %+v, want ids 3..5", got)
	}
}

func TestWaitReturnsOnAdd(t *testing.T) {
	r := New(10)
	done := make(chan []Entry)
	go func() {
		got, _ := r.Wait(context.Background(), Filter{}, time.Minute)
		done <- got
	}()
	r.Add(Entry{Status: 200})
	if got := <-done; len(got) != 1 || got[0].ID != 1 {
		t.Fatalf("wait = %+v", got)
	}
}

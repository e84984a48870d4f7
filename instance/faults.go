package instance

import (
	"context"
	"fmt"

	"github.com/mockpay/mockpay/faults"
	"github.com/mockpay/mockpay/levers"
)

// selectFixtureFaults applies apps.json's "faults": each app's chain, so a
// CI run's fixture directory can turn scenarios on from the start. The
// stored choice wins over the fixtures' (faults.Selection.Seed): the
// fixtures are the default a database starts with, while a choice made at
// run time (the control API, the dashboard, the CLI, "none" included) is
// the later, deliberate one; and on a database shared by replicas, each
// replica starting would otherwise undo what was chosen through another.
// Then the selection loads every stored choice.
func (a *Instance) selectFixtureFaults(ctx context.Context) error {
	for id, spec := range a.Fixtures.Faults {
		if _, ok := a.Apps.App(id); !ok {
			return fmt.Errorf("fixtures: faults for unknown app %q", id)
		}
		p, err := faults.Parse(spec)
		if err != nil {
			return fmt.Errorf("fixtures: faults of app %s: %w", id, err)
		}
		if _, err := a.Faults.Seed(ctx, id, p); err != nil {
			return fmt.Errorf("fixtures: faults of app %s: %w", id, err)
		}
	}
	return a.Faults.Load(ctx)
}

// resetStore is the levers' store: its Reset clears the chosen faults with
// the trades (the store deletes them in the same transaction), then the
// fixtures' faults apply again, as at a fresh start.
type resetStore struct {
	levers.Store
	a *Instance
}

func (s resetStore) Reset(ctx context.Context) error {
	if err := s.Store.Reset(ctx); err != nil {
		return err
	}
	return s.a.selectFixtureFaults(ctx)
}

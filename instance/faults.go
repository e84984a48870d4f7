package instance

import (
	"fmt"

	"github.com/mockpay/mockpay/faults"
)

// selectFixtureFaults applies apps.json's "faults": each app's chain, so a
// CI run's fixture directory can turn scenarios on from the start.
func (a *Instance) selectFixtureFaults() error {
	for id, spec := range a.Fixtures.Faults {
		if _, ok := a.Apps.App(id); !ok {
			return fmt.Errorf("fixtures: faults for unknown app %q", id)
		}
		p, err := faults.Parse(spec)
		if err != nil {
			return fmt.Errorf("fixtures: faults of app %s: %w", id, err)
		}
		a.Faults.Set(id, p)
	}
	return nil
}

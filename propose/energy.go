package propose

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Energy sources recorded in ProposeRun.EnergySource.
const (
	// EnergyEstimate means no counter was readable: the energy is the
	// formula in EnergyFormula, an assumption, not a measurement.
	EnergyEstimate = "estimate"
	// energyRAPLPrefix starts the source of a measured energy: "rapl:"
	// and the counters read, e.g. "rapl:intel-rapl:0 (package-0)".
	energyRAPLPrefix = "rapl:"
)

// raplZone is one top-level powercap zone (a CPU package): its counter
// includes its sub-zones (cores, uncore, dram on some machines), so only
// the top level is summed.
type raplZone struct {
	dir, name string // "intel-rapl:0", "package-0"
	counter   string // the energy_uj file
	maxRange  uint64 // max_energy_range_uj: where the counter wraps
	start     uint64
}

// raplMeter reads the energy counters Linux exposes under powercap
// (/sys/class/powercap/intel-rapl:N/energy_uj, also AMD since Linux 5.8).
// Many systems make energy_uj readable by root only (since 2020, against
// a side channel); then the run says "estimate" with its formula.
type raplMeter struct {
	zones []raplZone
}

// openRAPL finds the readable top-level zones under dir and reads their
// counters now. It returns nil when there is none.
func openRAPL(dir string) *raplMeter {
	paths, _ := filepath.Glob(filepath.Join(dir, "intel-rapl:*"))
	slices.Sort(paths)
	m := &raplMeter{}
	for _, p := range paths {
		base := filepath.Base(p)
		if strings.Count(base, ":") != 1 { // intel-rapl:0:1 is a sub-zone
			continue
		}
		e, err := readUint(filepath.Join(p, "energy_uj"))
		if err != nil {
			continue
		}
		z := raplZone{dir: base, counter: filepath.Join(p, "energy_uj"), start: e}
		z.maxRange, _ = readUint(filepath.Join(p, "max_energy_range_uj"))
		if b, err := os.ReadFile(filepath.Join(p, "name")); err == nil {
			z.name = strings.TrimSpace(string(b))
		}
		m.zones = append(m.zones, z)
	}
	if len(m.zones) == 0 {
		return nil
	}
	return m
}

func readUint(path string) (uint64, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	return strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64)
}

// read returns the energy used since openRAPL, in watt-hours, and which
// counters gave it. A counter that wrapped once is unwrapped with its
// max_energy_range_uj; a counter that became unreadable fails the read.
func (m *raplMeter) read() (float64, string, error) {
	var uj float64
	var names []string
	for _, z := range m.zones {
		e, err := readUint(z.counter)
		if err != nil {
			return 0, "", fmt.Errorf("RAPL counter %s: %w", z.counter, err)
		}
		d := float64(e) - float64(z.start)
		if e < z.start && z.maxRange > 0 {
			d = float64(z.maxRange-z.start) + float64(e)
		}
		uj += d
		n := z.dir
		if z.name != "" {
			n += " (" + z.name + ")"
		}
		names = append(names, n)
	}
	return uj / 3.6e9, energyRAPLPrefix + strings.Join(names, ", "), nil
}

// localHost reports whether an Ollama address is this machine, whose
// counters RAPL reads.
func localHost(h string) bool {
	u, err := url.Parse(h)
	if err != nil {
		return false
	}
	host := u.Hostname()
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// energyFormula says how an estimated energy was computed, in English
// whoever ran it (review.EnergyFormulaIn says it in the reader's language),
// its machines counted as English counts them.
func energyFormula(watts float64, machines int) string {
	noun := "machines"
	if machines == 1 {
		noun = "machine"
	}
	return fmt.Sprintf("%g W × %d %s × wall time (h)", watts, machines, noun)
}

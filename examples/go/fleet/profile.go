package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"time"
)

// startCPUProfile starts a CPU profile into path; the returned function stops it.
func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// writeHeapProfile writes the allocation profile (every allocation since the start,
// sampled at runtime.MemProfileRate) to path.
func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return pprof.Lookup("allocs").WriteTo(f, 0)
}

// watchMemory (with on) samples the Go runtime's heap and stack memory and the library's
// I/O threads' CPU time every 10 ms and returns a function describing the peaks, the
// allocation totals and that CPU time (as last seen: the threads end with the last
// Session) as key=value pairs.
func watchMemory(on bool) func() string {
	if !on {
		return func() string { return "" }
	}
	names := []string{"/memory/classes/heap/objects:bytes", "/memory/classes/heap/stacks:bytes",
		"/memory/classes/total:bytes", "/gc/heap/allocs:objects", "/gc/heap/allocs:bytes",
		"/gc/cycles/total:gc-cycles", "/sched/goroutines:goroutines"}
	samples := make([]metrics.Sample, len(names))
	for i, n := range names {
		samples[i].Name = n
	}
	var mu sync.Mutex
	peaks := make([]uint64, len(names))
	var ioCPU float64 // the I/O threads' CPU time, last seen while they ran
	read := func() {
		metrics.Read(samples)
		c := threadCPU("snmpx-shard")
		mu.Lock()
		ioCPU = max(ioCPU, c)
		for i, s := range samples {
			if s.Value.Kind() == metrics.KindUint64 && s.Value.Uint64() > peaks[i] {
				peaks[i] = s.Value.Uint64()
			}
		}
		mu.Unlock()
	}
	read()
	var a0 [2]uint64
	a0[0], a0[1] = samples[3].Value.Uint64(), samples[4].Value.Uint64()
	g0 := samples[5].Value.Uint64()
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				read()
			case <-done:
				return
			}
		}
	}()
	return func() string {
		close(done)
		read()
		mu.Lock()
		defer mu.Unlock()
		mb := func(b uint64) float64 { return float64(b) / (1 << 20) }
		return fmt.Sprintf("go_heap_objects_peak_mb=%.1f go_stacks_peak_mb=%.1f go_total_peak_mb=%.1f "+
			"go_allocs=%d go_alloc_mb=%.1f gc_cycles=%d goroutines_peak=%d io_threads_cpu_s=%.2f",
			mb(peaks[0]), mb(peaks[1]), mb(peaks[2]), samples[3].Value.Uint64()-a0[0],
			mb(samples[4].Value.Uint64()-a0[1]), samples[5].Value.Uint64()-g0, peaks[6], ioCPU)
	}
}

// threadCPU sums the CPU time (user+system, seconds) of this process's threads whose name
// starts with prefix, from /proc/self/task/*/stat (Linux; 0 elsewhere). With prefix
// "snmpx-shard" it is the library's I/O threads: the rest of the process's CPU time is the
// Go side (goroutines, poller, cgo calls, GC).
func threadCPU(prefix string) float64 {
	stats, _ := filepath.Glob("/proc/self/task/*/stat")
	var ticks uint64
	for _, path := range stats {
		b, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		// pid (comm) state ppid ... utime stime: fields 14 and 15, counted after ")".
		s := string(b)
		open, close := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if open < 0 || close < open || !strings.HasPrefix(s[open+1:close], prefix) {
			continue
		}
		f := strings.Fields(s[close+1:])
		if len(f) < 13 {
			continue
		}
		u, _ := strconv.ParseUint(f[11], 10, 64)
		st, _ := strconv.ParseUint(f[12], 10, 64)
		ticks += u + st
	}
	return float64(ticks) / 100 // USER_HZ is 100 on Linux
}

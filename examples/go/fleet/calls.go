package main

import (
	"time"

	snmpx "snmpx/bindings/go"
)

// runCalls polls the targets with asynchronous Calls (Session.Go) from the calling
// goroutine alone: it opens up to the window's worth of sessions, submits each device's
// first request, and as each Call comes back on one channel it records the answer and
// submits the device's next request on the same Call, or finishes the device. No
// goroutine per device: a device in flight is its Session, its Call and its line, and the
// Go runtime has no stacks to keep or scan and no goroutine to park and wake per request.
func (sw *sweep) runCalls(targets []target, timeout time.Duration, retries int) {
	window := max(cap(sw.sem), 1) // the window, which -goroutines enforces with sem
	// Each device has at most one Call in flight, so the channel never fills.
	done := make(chan *snmpx.Call, window)
	active, next := 0, 0
	for next < len(targets) || active > 0 {
		if active < window && next < len(targets) {
			d := sw.open(targets[next], timeout, retries)
			next++
			if d.s == nil {
				sw.finish(d)
				continue
			}
			active++
			d.call.Done, d.call.User = done, d
			sw.submit(d)
			active -= sw.completeReady(done) // between two opens, the answers already there
			continue
		}
		active -= sw.complete(<-done)
	}
}

// completeReady completes the Calls waiting on done without blocking and returns how
// many devices finished.
func (sw *sweep) completeReady(done chan *snmpx.Call) int {
	finished := 0
	for {
		select {
		case c := <-done:
			finished += sw.complete(c)
		default:
			return finished
		}
	}
}

// submit sends the device's next request: the next object with -sequential, else all.
func (sw *sweep) submit(d *device) {
	d.call.Op = snmpx.OpGet
	if sw.sequential {
		d.call.Objects = sw.objs[d.next : d.next+1]
	} else {
		d.call.Objects = sw.objs
	}
	sw.requests.Add(1)
	d.s.Go(sw.ctx, &d.call)
}

// complete records a returned Call and submits the device's next request; it returns 1
// when the device is finished, 0 while it has a request in flight.
func (sw *sweep) complete(c *snmpx.Call) int {
	d := c.User.(*device)
	if c.Err != nil {
		d.l.fail(c.Err)
		if !sw.sequential { // an agent's error-status comes with the bindings (as -goroutines)
			d.l.add(c.VarBinds, 0)
		}
	} else {
		d.l.add(c.VarBinds, d.next)
		if sw.sequential && d.next+1 < len(sw.objs) {
			d.next++
			sw.submit(d)
			return 0
		}
	}
	d.s.Close()
	d.s = nil
	d.call = snmpx.Call{} // the last answer is recorded in d.l
	sw.finish(d)
	return 1
}

// open starts a device's poll: its session (nil, with the error in its line, when it cannot
// be opened) and the room for its answers.
func (sw *sweep) open(t target, timeout time.Duration, retries int) *device {
	d := &device{addr: t.addr, began: time.Now()}
	d.l.asked = sw.asked
	var err error
	if d.s, err = open(t, timeout, retries); err != nil {
		d.l.err = err.Error()
		return d
	}
	d.l.recs = make([]byte, 0, 24*len(sw.objs))
	return d
}

// finish counts the device and hands it to the writer.
func (sw *sweep) finish(d *device) {
	d.ms = float64(time.Since(d.began).Microseconds()) / 1000
	if d.l.ok() {
		sw.ok.Add(1)
	} else {
		sw.failed.Add(1)
	}
	sw.done <- d
}

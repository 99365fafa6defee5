package main

import (
	"time"
)

// runGoroutines polls the targets with the blocking API (-goroutines): a goroutine per
// target, at most the window's worth at once, each calling Session.Get and waiting. The
// sessions are opened here, not on the devices' goroutines: Open's path (its Config, the
// C configuration calls) is deeper than a goroutine's initial stack.
func (sw *sweep) runGoroutines(targets []target, timeout time.Duration, retries int) {
	for _, t := range targets {
		sw.sem <- struct{}{}
		sw.wg.Add(1)
		go sw.poll(sw.open(t, timeout, retries))
	}
	sw.wg.Wait()
}

// poll reads the objects of one target, closes its session and hands the device to the
// writer. It is the body of the device's goroutine, whose stack stays at its initial
// 2 KiB only while every call path from here is shallower than about 1.1 KiB (a grown
// stack does not shrink back while the goroutine waits): so its frame is small (shared
// state in sw, not in arguments), and the deep work (opening the session, formatting an
// error, rendering the line) is done on other goroutines. Open's error, if any, is in d.l.err.
func (sw *sweep) poll(d *device) {
	if s := d.s; s != nil {
		if sw.sequential {
			for i := range sw.objs {
				sw.requests.Add(1)
				got, err := s.Get(sw.ctx, sw.objs[i])
				if err != nil {
					d.l.fail(err)
					break
				}
				d.l.add(got, i)
			}
		} else {
			sw.requests.Add(1)
			got, err := s.Get(sw.ctx, sw.objs...)
			if err != nil {
				d.l.fail(err)
			}
			d.l.add(got, 0)
		}
		s.Close()
		d.s = nil
	}
	sw.finish(d)
	<-sw.sem
	sw.wg.Done()
}

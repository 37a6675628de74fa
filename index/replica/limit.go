package replica

import (
	"context"
	"io"
	"time"
)

// A limiter paces a download at a rate in bytes per second: after n bytes
// since it started, it waits until n/rate seconds have passed.
type limiter struct {
	rate  int64
	start time.Time
	n     int64
}

// newLimiter returns a limiter of rate bytes per second (nil: no limit).
func newLimiter(rate int64) *limiter {
	if rate <= 0 {
		return nil
	}
	return &limiter{rate: rate, start: time.Now()}
}

// wait accounts n bytes and sleeps until the rate allows them.
func (l *limiter) wait(ctx context.Context, n int) error {
	if l == nil {
		return nil
	}
	l.n += int64(n)
	due := l.start.Add(time.Duration(float64(l.n) / float64(l.rate) * float64(time.Second)))
	d := time.Until(due)
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// copyLimited copies src to dst in chunks, pacing them with lim.
func copyLimited(ctx context.Context, dst io.Writer, src io.Reader, lim *limiter) (int64, error) {
	buf := make([]byte, 64<<10)
	if lim != nil {
		// Small chunks keep a slow rate smooth.
		buf = buf[:min(int64(len(buf)), max(lim.rate/10, 1024))]
	}
	var total int64
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return total, werr
			}
			total += int64(n)
			if werr := lim.wait(ctx, n); werr != nil {
				return total, werr
			}
		}
		if err == io.EOF {
			return total, nil
		}
		if err != nil {
			return total, err
		}
	}
}

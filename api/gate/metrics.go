package gate

import (
	"net/http"
	"strconv"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus metrics, in a registry of its own.
type Metrics struct {
	Registry *prometheus.Registry
	Handler  http.Handler
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	// observed keeps, by route and status, the counter and histogram of
	// each pair seen (few: routes are patterns): a request looks no label
	// up.
	observed sync.Map // observedKey → *observers
}

type observedKey struct {
	route  string
	status int
}

// observers are the metrics of one route and status.
type observers struct {
	requests prometheus.Counter
	duration prometheus.Observer
}

func NewMetrics(searcher Searcher) *Metrics {
	registry := prometheus.NewRegistry()
	m := &Metrics{
		Registry: registry,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tacheron_http_requests_total",
			Help: "HTTP requests answered, by route and status.",
		}, []string{"route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "tacheron_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route.",
			Buckets: []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5},
		}, []string{"route"}),
	}
	registry.MustRegister(
		m.requests,
		m.duration,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "tacheron_index_documents",
			Help: "Documents in the index being served.",
		}, func() float64 { return float64(searcher.Status().Documents) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "tacheron_index_generation",
			Help: "Generation of the index snapshot being served (0 when none).",
		}, func() float64 { return float64(searcher.Status().Generation) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "tacheron_index_ready",
			Help: "1 when an index is loaded and served, 0 otherwise.",
		}, func() float64 {
			if searcher.Status().Ready {
				return 1
			}
			return 0
		}),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	m.Handler = promhttp.HandlerFor(registry, promhttp.HandlerOpts{})
	return m
}

// Observe records an answered request.
func (m *Metrics) Observe(route string, status int, seconds float64) {
	key := observedKey{route, status}
	o, ok := m.observed.Load(key)
	if !ok {
		o, _ = m.observed.LoadOrStore(key, &observers{
			requests: m.requests.WithLabelValues(route, strconv.Itoa(status)),
			duration: m.duration.WithLabelValues(route),
		})
	}
	obs := o.(*observers)
	obs.requests.Inc()
	obs.duration.Observe(seconds)
}

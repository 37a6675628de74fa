package main

import "testing"

func TestParseRate(t *testing.T) {
	tests := []struct {
		in      string
		want    int64
		wantErr bool
	}{
		{in: "", want: 0},
		{in: "1000", want: 1000},
		{in: "500k", want: 500 << 10},
		{in: "500K", want: 500 << 10},
		{in: "20M", want: 20 << 20},
		{in: "1g", want: 1 << 30},
		{in: "0", wantErr: true},
		{in: "-5k", wantErr: true},
		{in: "k", wantErr: true},
		{in: "1.5M", wantErr: true},
		{in: "10MB", wantErr: true},
		{in: "99999999999999999G", wantErr: true},
	}
	for _, tt := range tests {
		got, err := parseRate(tt.in)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("parseRate(%q) = %d, %v; want %d, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

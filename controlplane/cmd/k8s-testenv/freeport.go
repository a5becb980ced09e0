package main

import (
	"flag"
	"fmt"
	"net"
	"os"
)

// runFreePort prints N distinct currently-free TCP ports on 127.0.0.1, one a
// line. All listeners are held open until every port is chosen, so the ports
// are distinct; another process may still grab one before it is used.
func runFreePort() int {
	fs := flag.NewFlagSet("freeport", flag.ContinueOnError)
	n := fs.Int("n", 1, "number of ports")
	if err := fs.Parse(os.Args[1:]); err != nil {
		return 2
	}
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	for i := 0; i < *n; i++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			fmt.Fprintf(os.Stderr, "freeport: %v\n", err)
			return 1
		}
		ls = append(ls, l)
		fmt.Println(l.Addr().(*net.TCPAddr).Port)
	}
	return 0
}

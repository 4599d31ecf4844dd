package main

// A client of the wire protocol itself, for the measured queries: the V1_0 handshake with
// SCRAM-SHA-256 (RethinkDB's only one), then frames written and read in place.
//
// The official driver costs the load generator about 135 µs of CPU per single-document
// insert, and one of these connections about 80 µs, most of it the kernel's socket work and
// Go's scheduler, which any client pays (/usr/bin/time of 9,600 inserts from 16 clients, less
// a run of 16 that only sets up). On a 2-core machine the server and the load generator share
// the cores, so what the driver adds is taken from the server; the driver still creates the
// tables and checks the counts.

import (
	"bufio"
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"

	"golang.org/x/crypto/pbkdf2"
)

type rawConn struct {
	conn   net.Conn
	reader *bufio.Reader
	token  uint64
	frame  []byte
	// `"inserted":N,` for the last N checked, kept so that a check formats nothing per query.
	inserted     []byte
	insertedWant int
}

// rawConnect opens a connection and logs in as admin with an empty password.
func rawConnect(addr string) *rawConn {
	conn, err := net.Dial("tcp", addr)
	must(err)
	if tcp, ok := conn.(*net.TCPConn); ok {
		must(tcp.SetNoDelay(true))
	}
	c := &rawConn{conn: conn, reader: bufio.NewReaderSize(conn, 1<<16)}
	nonceBytes := make([]byte, 18)
	_, err = rand.Read(nonceBytes)
	must(err)
	nonce := base64.StdEncoding.EncodeToString(nonceBytes)
	clientFirstBare := "n=admin,r=" + nonce
	hello, err := json.Marshal(map[string]interface{}{"protocol_version": 0,
		"authentication_method": "SCRAM-SHA-256", "authentication": "n,," + clientFirstBare})
	must(err)
	magic := make([]byte, 4)
	binary.LittleEndian.PutUint32(magic, 0x34c2bdc3)
	_, err = conn.Write(append(append(magic, hello...), 0))
	must(err)
	c.handshakeMessage() // the server's versions
	serverFirst := c.handshakeMessage()["authentication"].(string)
	fields := scramFields(serverFirst)
	if !strings.HasPrefix(fields["r"], nonce) {
		fail("handshake: the server's nonce does not extend ours")
	}
	salt, err := base64.StdEncoding.DecodeString(fields["s"])
	must(err)
	iterations, err := strconv.Atoi(fields["i"])
	must(err)
	salted := pbkdf2.Key([]byte(""), salt, iterations, sha256.Size, sha256.New)
	clientKey := mac(salted, "Client Key")
	storedKey := sha256.Sum256(clientKey)
	finalWithoutProof := "c=biws,r=" + fields["r"]
	signature := mac(storedKey[:], clientFirstBare+","+serverFirst+","+finalWithoutProof)
	proof := make([]byte, len(clientKey))
	for i := range proof {
		proof[i] = clientKey[i] ^ signature[i]
	}
	final, err := json.Marshal(map[string]string{"authentication": finalWithoutProof + ",p=" + base64.StdEncoding.EncodeToString(proof)})
	must(err)
	_, err = conn.Write(append(final, 0))
	must(err)
	c.handshakeMessage()
	return c
}

func mac(key []byte, message string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(message))
	return h.Sum(nil)
}

func scramFields(message string) map[string]string {
	fields := map[string]string{}
	for _, part := range strings.Split(message, ",") {
		if len(part) > 2 && part[1] == '=' {
			fields[part[:1]] = part[2:]
		}
	}
	return fields
}

// handshakeMessage reads one NUL-terminated JSON object and fails unless it says success.
func (c *rawConn) handshakeMessage() map[string]interface{} {
	line, err := c.reader.ReadBytes(0)
	must(err)
	var message map[string]interface{}
	must(json.Unmarshal(line[:len(line)-1], &message))
	if message["success"] != true {
		fail("handshake refused: %s", line)
	}
	return message
}

// startQuery is a START frame's JSON for a term given as JSON.
func startQuery(term []byte) []byte {
	return append(append([]byte("[1,"), term...), []byte(",{}]")...)
}

// roundTrip sends one START and returns its response's JSON.
func (c *rawConn) roundTrip(query []byte) []byte {
	c.token++
	c.frame = c.frame[:0]
	c.frame = binary.LittleEndian.AppendUint64(c.frame, c.token)
	c.frame = binary.LittleEndian.AppendUint32(c.frame, uint32(len(query)))
	c.frame = append(c.frame, query...)
	_, err := c.conn.Write(c.frame)
	must(err)
	var header [12]byte
	_, err = io.ReadFull(c.reader, header[:])
	must(err)
	if token := binary.LittleEndian.Uint64(header[:8]); token != c.token {
		fail("response for token %d, expected %d", token, c.token)
	}
	body := make([]byte, binary.LittleEndian.Uint32(header[8:]))
	_, err = io.ReadFull(c.reader, body)
	must(err)
	return body
}

// insert runs an insert START and checks that it inserted `want` documents without errors.
func (c *rawConn) insert(query []byte, want int) {
	body := c.roundTrip(query)
	if c.inserted == nil || c.insertedWant != want {
		c.inserted = []byte(fmt.Sprintf(`"inserted":%d,`, want))
		c.insertedWant = want
	}
	if !bytes.Contains(body, c.inserted) || !bytes.Contains(body, noErrors) {
		fail("insert: unexpected response %s", body)
	}
}

var noErrors = []byte(`"errors":0,`)

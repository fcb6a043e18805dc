# The app servers behind Varnish and who may purge: the one file of the edge configuration
# that differs between sites. This example is one gunicorn on 127.0.0.1:8001, purged from the
# same machine; deploy/varnish/run-edge.sh writes its own (`--backend`, `--purger`). With
# several app servers, add one backend each and one `app.add_backend(...)` line each.
vcl 4.1;

import directors;

probe healthz {
    .request =
        "GET /healthz HTTP/1.1"
        "Host: localhost"
        "Connection: close"
        "User-Agent: varnish-probe";
    .expected_response = 200;
    .interval = 2s;
    .timeout = 2s;
    .window = 3;
    .threshold = 2;
    .initial = 2;
}

backend app1 {
    .host = "127.0.0.1";
    .port = "8001";
    .probe = healthz;
    .connect_timeout = 2s;
    .first_byte_timeout = 60s;
    .between_bytes_timeout = 30s;
}

sub vcl_init {
    new app = directors.round_robin();
    app.add_backend(app1);
}

# Who may send `PURGE /` (the app servers): localhost, plus each app server's address.
acl purgers {
    "localhost";
    "127.0.0.1";
    "::1";
}

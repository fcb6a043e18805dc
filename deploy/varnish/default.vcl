# The edge cache in front of mbc_cms: Varnish 7 (Debian's `varnish`) with the xkey module
# (Debian's `varnish-modules`). See the README's deployment guide and docs/performance.md.
#
# What it does, following the app's edge contract (docs/architecture.md, "The edge tier"):
#
# - Caches only what the app says it may: answers carrying an `xkey` header (surrogate keys)
#   and a `Cache-Control` with `s-maxage` (public reader pages and the public API), plus the
#   digest-named files under /static/ and /media/. Anything else, anything with Set-Cookie
#   or `private`/`no-store`/`no-cache`, is never stored.
# - Passes every request that is not a GET or HEAD, that carries an Authorization header or a
#   `sessionid` cookie, and everything under the admin, the editorial API, the token endpoint
#   and previews. Other cookies are dropped from requests for public paths, so a reader's
#   stray cookie cannot make a page uncacheable.
# - `PURGE /` with an `xkey-purge: <keys>` header, from an address in the `purgers` ACL,
#   removes at once (a hard purge, no grace) every object tagged with any of the keys, and
#   answers 200 with the count; anyone else (a PURGE relayed by a proxy too) gets 403, a
#   PURGE without keys a 400.
# - Never serves a copy past its TTL while a backend is healthy (zero grace): the app caps
#   s-maxage at the next scheduled go-live or go-dark time, so no page outlives its content.
#   Only when every backend is down are copies up to an hour old served.
# - Compresses HTML, JSON, XML, CSS and JavaScript with gzip for clients that accept it.
# - Strips `xkey` from the answers clients get. With VARNISH_EDGE_DEBUG=1 in varnishd's
#   environment it adds `X-Cache: HIT|MISS|PASS|SYNTH` and `X-Cache-Hits`.
#
# The backends, their health probe, the director `app` and the `purgers` ACL live in
# backends.vcl (found through varnishd's vcl_path: the one next to this file is the
# single-server example; deploy/varnish/run-edge.sh writes its own).
vcl 4.1;

import std;
import xkey;

include "backends.vcl";

sub vcl_recv {
    set req.backend_hint = app.backend();

    if (req.method == "PURGE") {
        # Only straight from a purger: a PURGE relayed by the TLS proxy in front (whose own
        # address may well be in the ACL) carries the relayed client in X-Forwarded-For,
        # to which Varnish has appended the proxy's address.
        if (client.ip !~ purgers || req.http.X-Forwarded-For != "" + client.ip) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "An xkey-purge header is required"));
        }
        set req.http.X-Purged = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged"));
    }

    if (req.method != "GET" && req.method != "HEAD" && req.method != "POST" &&
        req.method != "PUT" && req.method != "PATCH" && req.method != "DELETE" &&
        req.method != "OPTIONS") {
        return (synth(405, "Method Not Allowed"));
    }

    # While a backend is healthy nothing past its TTL is served (the app's s-maxage is the
    # moment the content is due to change); with every backend down, an hour-old copy is
    # better than an error page.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 0s;
    }

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.http.Authorization) {
        return (pass);
    }
    if (req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    if (req.url ~ "^/admin(/|$)" ||
        req.url ~ "^/api/v1/(editorial|auth)(/|$)" ||
        req.url ~ "^/preview/") {
        return (pass);
    }

    # A public path: no cookie reaches the app, so no answer differs by cookie.
    unset req.http.Cookie;

    # Tracking parameters never change an answer; sorted parameters share one copy.
    if (req.url ~ "[?&](utm_[a-z]+|fbclid|gclid|mc_[a-z]+)=") {
        set req.url = regsuball(req.url, "(?<=[?&])(utm_[a-z]+|fbclid|gclid|mc_[a-z]+)=[^&]*&?", "");
        set req.url = regsub(req.url, "[?&]+$", "");
    }
    set req.url = std.querysort(req.url);
    return (hash);
}

sub vcl_hash {
    # The app answers http and https differently (the TLS redirect, absolute addresses).
    if (req.http.X-Forwarded-Proto) {
        hash_data(req.http.X-Forwarded-Proto);
    }
}

sub vcl_backend_response {
    if (beresp.http.Set-Cookie ||
        beresp.http.Cache-Control ~ "(private|no-store|no-cache)" ||
        beresp.http.Vary == "*") {
        # Never stored; the next request for it goes straight to a backend.
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    if (!beresp.http.xkey && bereq.url !~ "^/(static|media)/") {
        # Only what a publication can purge is kept (and immutable, digest-named files).
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    if (beresp.http.Content-Type ~ "^(text/(html|plain|css|xml|javascript)|application/(json|[a-z.+-]*\+json|xml|[a-z.+-]*\+xml|javascript))" &&
        !beresp.http.Content-Encoding) {
        set beresp.do_gzip = true;
    }
    # Kept an hour past its TTL only to be served while every backend is down (see vcl_recv).
    set beresp.grace = 1h;
    set beresp.keep = 0s;
    return (deliver);
}

sub vcl_deliver {
    unset resp.http.xkey;
    if (std.getenv("VARNISH_EDGE_DEBUG") == "1") {
        if (req.http.X-Edge-Pass) {
            set resp.http.X-Cache = "PASS";
        } elsif (obj.uncacheable) {
            set resp.http.X-Cache = "MISS";
        } elsif (obj.hits > 0) {
            set resp.http.X-Cache = "HIT";
        } else {
            set resp.http.X-Cache = "MISS";
        }
        set resp.http.X-Cache-Hits = obj.hits;
    }
}

sub vcl_pass {
    set req.http.X-Edge-Pass = "1";
}

sub vcl_backend_fetch {
    unset bereq.http.X-Edge-Pass;
}

sub vcl_synth {
    if (req.method == "PURGE") {
        set resp.http.Content-Type = "text/plain; charset=utf-8";
        set resp.http.Cache-Control = "private, no-store";
        if (resp.status == 200) {
            set resp.http.X-Purged = req.http.X-Purged;
            set resp.body = "Purged " + req.http.X-Purged + " objects" + {"
"};
        } else {
            set resp.body = resp.reason + {"
"};
        }
        return (deliver);
    }
    if (resp.status == 405) {
        set resp.http.Allow = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
    }
}

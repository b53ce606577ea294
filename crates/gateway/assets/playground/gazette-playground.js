// Gazette's GraphiQL set-up: renders GraphiQL (vendored, loaded before this file) against
// /graphql on this same server, opens with an example query, and sends the token pasted into
// the bar at the top as `Authorization: Bearer <token>`. Everything it loads comes from this
// server; the page's Content-Security-Policy makes the browser refuse anything else.
(function () {
  "use strict";

  var EXAMPLE_QUERY = [
    "# Gazette's GraphQL playground.",
    "#",
    "# Run the query below with the run button (Ctrl-Enter).",
    "# The book icon on the left documents every type and",
    "# field; Ctrl-Space completes.",
    "#",
    "# Queries need no token. Mutations need an editor token:",
    "# paste it into the box at the top. `gazette serve",
    "# --demo` prints one; `gazette token create --role",
    "# editor --name NAME` makes one for a real database.",
    "",
    "query Example {",
    "  version",
    "  people(first: 5) {",
    "    edges {",
    "      node {",
    "        name",
    "        givenName",
    "      }",
    "    }",
    "  }",
    "}",
    "",
  ].join("\n");

  var TOKEN_KEY = "gazette:token";

  // What the page noticed, for people (and the browser test) to inspect.
  var status = { rendered: false, cspViolations: [] };
  window.gazettePlayground = status;
  document.addEventListener("securitypolicyviolation", function (event) {
    var violation = event.violatedDirective + " " + event.blockedURI;
    status.cspViolations.push(violation);
    if (window.console) {
      window.console.warn("Gazette playground: the Content-Security-Policy blocked " + violation);
    }
  });

  var mount = document.getElementById("graphiql");
  if (!window.React || !window.ReactDOM || !window.GraphiQL) {
    mount.textContent =
      "The playground's scripts did not load (React, ReactDOM or GraphiQL is missing). " +
      "The GraphQL API itself answers at POST /graphql.";
    return;
  }

  var tokenInput = document.getElementById("gazette-token");
  var tokenState = document.getElementById("gazette-token-state");

  function storage() {
    try {
      return window.sessionStorage;
    } catch (error) {
      return null;
    }
  }

  // The token as typed, without blanks or a pasted `Bearer ` prefix.
  function currentToken() {
    return tokenInput.value.trim().replace(/^bearer\s+/i, "");
  }

  function showTokenState() {
    var token = currentToken();
    if (token) {
      tokenState.textContent = "Token set: sent as Authorization: Bearer … with every request.";
      tokenState.classList.add("gazette-has-token");
    } else {
      tokenState.textContent = "No token: queries only, no mutations.";
      tokenState.classList.remove("gazette-has-token");
    }
  }

  function hasAuthorization(headers) {
    return Object.keys(headers || {}).some(function (name) {
      return name.toLowerCase() === "authorization";
    });
  }

  var baseFetcher = window.GraphiQL.createFetcher({
    url: window.location.origin + "/graphql",
    subscriptionUrl:
      (window.location.protocol === "https:" ? "wss://" : "ws://") + window.location.host + "/graphql",
    // The server answers with one JSON body; no multipart incremental delivery.
    enableIncrementalDelivery: false,
  });

  // The token box adds `Authorization` unless the headers editor already sets one. The token
  // also travels in a subscription's connection_init payload, where the server looks for it.
  function fetcher(params, options) {
    var opts = Object.assign({}, options);
    var token = currentToken();
    if (token && !hasAuthorization(opts.headers)) {
      opts.headers = Object.assign({ Authorization: "Bearer " + token }, opts.headers);
    }
    return baseFetcher(params, opts);
  }

  var root = window.ReactDOM.createRoot(mount);

  // A new fetcher makes GraphiQL fetch the schema again (a server started with
  // --require-read-token shows its schema only once a token is set).
  function render() {
    var fetchWithToken = function (params, options) {
      return fetcher(params, options);
    };
    root.render(
      window.React.createElement(
        window.GraphiQL,
        {
          fetcher: fetchWithToken,
          defaultQuery: EXAMPLE_QUERY,
          shouldPersistHeaders: false,
          defaultEditorToolsVisibility: false,
        },
        window.React.createElement(window.GraphiQL.Logo, null, "Gazette")
      )
    );
    status.rendered = true;
  }

  var store = storage();
  if (store && store.getItem(TOKEN_KEY)) {
    tokenInput.value = store.getItem(TOKEN_KEY);
  }
  showTokenState();

  function tokenChanged() {
    var store = storage();
    if (store) {
      if (currentToken()) {
        store.setItem(TOKEN_KEY, currentToken());
      } else {
        store.removeItem(TOKEN_KEY);
      }
    }
    showTokenState();
    render();
  }

  tokenInput.addEventListener("input", showTokenState);
  tokenInput.addEventListener("change", tokenChanged);
  document.getElementById("gazette-token-form").addEventListener("submit", function (event) {
    event.preventDefault();
    tokenChanged();
  });
  document.getElementById("gazette-token-clear").addEventListener("click", function () {
    tokenInput.value = "";
    tokenChanged();
  });
  var showButton = document.getElementById("gazette-token-show");
  showButton.addEventListener("click", function () {
    var hidden = tokenInput.type === "password";
    tokenInput.type = hidden ? "text" : "password";
    showButton.textContent = hidden ? "Hide" : "Show";
  });

  render();
})();

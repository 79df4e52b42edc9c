// Starts GraphiQL on the endpoint named by the page. Kept out of the HTML so
// the page runs under a Content-Security-Policy without 'unsafe-inline'
// scripts.
(function () {
  'use strict';
  var root = document.getElementById('graphiql');
  var endpoint = new URL(root.dataset.endpoint || '/graphql', window.location.href).toString();
  var fetcher = GraphiQL.createFetcher({ url: endpoint });
  // Keep this API's editor state apart from other GraphiQL pages on the host.
  var prefix = 'guichet:';
  var storage = {
    getItem: function (k) { return window.localStorage.getItem(prefix + k); },
    setItem: function (k, v) { window.localStorage.setItem(prefix + k, v); },
    removeItem: function (k) { window.localStorage.removeItem(prefix + k); },
    clear: function () {
      Object.keys(window.localStorage).forEach(function (k) {
        if (k.indexOf(prefix) === 0) window.localStorage.removeItem(k);
      });
    },
    get length() {
      return Object.keys(window.localStorage).filter(function (k) { return k.indexOf(prefix) === 0; }).length;
    },
  };
  ReactDOM.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: root.dataset.defaultQuery,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false,
      storage: storage,
    }),
    root,
  );
})();

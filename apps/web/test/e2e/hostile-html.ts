// A message body that tries everything an HTML mail should not be able to do in a viewer.
export function hostileHtml(trap: string): string {
  return `<!doctype html><html><head>
<meta http-equiv="refresh" content="0;url=${trap}/meta-refresh">
<link rel="stylesheet" href="${trap}/linked.css">
<style>
  @import url(${trap}/imported.css);
  body { background: url(${trap}/background.png); }
  .escape { position: fixed; top: -1000px; left: -1000px; width: 10000px; height: 10000px; z-index: 2147483647; background: red; }
</style>
<script>
  document.documentElement.setAttribute('data-pwned', 'script');
  try { parent.document.title = 'pwned'; } catch (e) {}
  try { top.location = '${trap}/script-top'; } catch (e) {}
  fetch('${trap}/script-fetch');
</script>
</head><body>
<h1 id="hostile">Hostile message</h1>
<img id="remote" src="${trap}/pixel.png" alt="remote pixel">
<img src="/nonexistent" onerror="this.setAttribute('data-pwned','onerror'); new Image().src='${trap}/onerror.png'">
<svg onload="document.documentElement.setAttribute('data-pwned','svg')"></svg>
<a id="js-link" href="javascript:document.documentElement.setAttribute('data-pwned','js-link')">javascript link</a>
<a id="top-link" href="${trap}/top-link" target="_top">top link</a>
<a id="blank-link" href="${trap}/blank-link" target="_blank">new window link</a>
<form action="${trap}/form" method="post"><input name="q" value="1"><button id="submit" type="submit">Send</button></form>
<iframe src="${trap}/nested-frame"></iframe>
<object data="${trap}/object"></object>
<video src="${trap}/video.mp4" autoplay></video>
<div class="escape">trying to cover the page</div>
<img id="inline" src="cid:logo@e2e.test" alt="inline logo">
</body></html>`;
}

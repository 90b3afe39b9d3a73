// @ts-check
// The chat page's client: one websocket to the bot on the same host, JSON frames both ways
// (see src/channels/web.ts). Every message is added as an element with a data-testid so tests
// and tools can drive the page; text is always set as text, never as HTML.

(() => {
  const RECONNECT_MIN_MS = 1000;
  const RECONNECT_MAX_MS = 15000;
  const BUSY_TIMEOUT_MS = 20000;

  /** @template {HTMLElement} T @param {string} id @param {new () => T} type @returns {T} */
  function byId(id, type) {
    const element = document.getElementById(id);
    if (!(element instanceof type)) throw new Error(`The page is missing #${id}`);
    return element;
  }

  const transcript = byId('transcript', HTMLDivElement);
  const status = byId('status', HTMLParagraphElement);
  const quickReplies = byId('quick-replies', HTMLDivElement);
  const form = byId('chat-form', HTMLFormElement);
  const input = byId('chat-input', HTMLInputElement);
  const send = byId('chat-send', HTMLButtonElement);

  /** @type {WebSocket | undefined} */
  let socket;
  let connectedBefore = false;
  let reconnectDelay = RECONNECT_MIN_MS;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let busyTimer;

  /** @param {string} text */
  function setStatus(text) {
    if (status.textContent !== text) status.textContent = text;
  }

  /** @param {boolean} connected */
  function setConnected(connected) {
    input.disabled = !connected;
    send.disabled = !connected;
  }

  /** @param {boolean} busy */
  function setBusy(busy) {
    clearTimeout(busyTimer);
    if (busy) {
      setStatus('Looking…');
      busyTimer = setTimeout(() => setStatus(''), BUSY_TIMEOUT_MS);
    } else {
      setStatus('');
    }
  }

  function scrollToLatest() {
    if (transcript.scrollHeight > transcript.clientHeight) transcript.scrollTop = transcript.scrollHeight;
    form.scrollIntoView({ block: 'nearest' });
  }

  /** @param {'bot' | 'user'} who @param {string} text */
  function addMessage(who, text) {
    const message = document.createElement('div');
    message.className = `message message--${who}`;
    const speaker = document.createElement('span');
    speaker.className = 'visually-hidden';
    speaker.textContent = who === 'bot' ? 'Assistant: ' : 'You: ';
    const bubble = document.createElement('div');
    bubble.className = 'bubble';
    bubble.dataset.testid = who === 'bot' ? 'bot-message' : 'user-message';
    bubble.textContent = text;
    message.append(speaker, bubble);
    transcript.append(message);
    scrollToLatest();
  }

  /** @param {Array<{ title: string, payload: string }>} replies */
  function showQuickReplies(replies) {
    quickReplies.replaceChildren();
    for (const reply of replies) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'quick-reply';
      button.dataset.testid = 'quick-reply';
      button.textContent = reply.title;
      button.addEventListener('click', () => {
        if (sendText(reply.payload, reply.title)) input.focus();
      });
      quickReplies.append(button);
    }
    quickReplies.hidden = replies.length === 0;
  }

  /**
   * @param {string} text what is sent to the bot
   * @param {string} [shown] what appears in the conversation, when it differs (a button's label)
   * @returns {boolean} whether it was sent
   */
  function sendText(text, shown = text) {
    if (!socket || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify({ type: 'message', text }));
    if (shown.trim().length > 0) addMessage('user', shown);
    showQuickReplies([]);
    setBusy(true);
    return true;
  }

  /** @param {unknown} value @returns {Array<{ title: string, payload: string }>} */
  function readQuickReplies(value) {
    if (!Array.isArray(value)) return [];
    return value.filter(
      (item) => item && typeof item.title === 'string' && typeof item.payload === 'string',
    );
  }

  /** @param {MessageEvent} event */
  function receive(event) {
    let frame;
    try {
      frame = JSON.parse(String(event.data));
    } catch {
      return;
    }
    if (!frame || frame.type !== 'message' || typeof frame.text !== 'string') return;
    setBusy(false);
    addMessage('bot', frame.text);
    const replies = readQuickReplies(frame.quick_replies);
    if (replies.length > 0) showQuickReplies(replies);
  }

  function connect() {
    const url = new URL('/chat', window.location.href);
    url.protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    const current = new WebSocket(url);
    socket = current;

    current.addEventListener('open', () => {
      reconnectDelay = RECONNECT_MIN_MS;
      current.send(JSON.stringify({ type: connectedBefore ? 'welcome_back' : 'hello' }));
      setStatus(connectedBefore ? 'Connected again.' : '');
      connectedBefore = true;
      setConnected(true);
    });
    current.addEventListener('message', receive);
    current.addEventListener('close', () => {
      if (socket !== current) return;
      setConnected(false);
      showQuickReplies([]);
      clearTimeout(busyTimer);
      setStatus(connectedBefore ? 'The connection was lost. Trying to reconnect…' : 'Cannot reach the assistant. Trying again…');
      setTimeout(connect, reconnectDelay);
      reconnectDelay = Math.min(reconnectDelay * 2, RECONNECT_MAX_MS);
    });
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (sendText(input.value)) input.value = '';
    input.focus();
  });

  connect();
})();

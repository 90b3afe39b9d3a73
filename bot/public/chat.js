// @ts-check
// The chat page's client: one websocket to the bot on the same host, JSON frames both ways
// (see src/channels/web.ts). Every message is added as an element with a data-testid so tests
// and tools can drive the page; text is always set as text, never as HTML.

(() => {
  const RECONNECT_MIN_MS = 1000;
  const RECONNECT_MAX_MS = 15000;
  const BUSY_TIMEOUT_MS = 20000;
  /** Where the resume token is kept: this tab only, gone when it closes. */
  const RESUME_KEY = 'sp-chat-resume';
  /** Shown in the conversation instead of a secret the person typed. */
  const HIDDEN = '•••• (hidden)';
  const MESSAGE_MAX_LENGTH = 500;
  const SECRET_MAX_LENGTH = 3000;

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
  const label = byId('chat-label', HTMLLabelElement);
  const hint = byId('chat-hint', HTMLParagraphElement);
  const ordinary = { label: label.textContent ?? '', hint: hint.textContent ?? '' };

  /** @type {WebSocket | undefined} */
  let socket;
  let connectedBefore = false;
  let reconnectDelay = RECONNECT_MIN_MS;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let busyTimer;
  /** Whether the next typed message is a secret (the bot asked for a token). */
  let secretNext = false;
  /** The latest quick replies, offered again when a conversation resumes after a reconnect. */
  /** @type {Array<{ title: string, payload: string }>} */
  let latestReplies = [];
  let focusBeforeDrop = false;
  /** @type {string | undefined} */
  let resumeInMemory;

  /** The resume token from this tab's storage (absent when storage is blocked). */
  function storedResume() {
    try {
      return window.sessionStorage.getItem(RESUME_KEY) ?? undefined;
    } catch {
      return undefined;
    }
  }

  /** @param {string} token */
  function storeResume(token) {
    try {
      window.sessionStorage.setItem(RESUME_KEY, token);
    } catch {
      // Storage blocked: a reconnect still resumes, from memory, while the page is open.
    }
    resumeInMemory = token;
  }

  /** @param {string} text */
  function setStatus(text) {
    if (status.textContent !== text) status.textContent = text;
  }

  /** @param {boolean} connected */
  function setConnected(connected) {
    if (!connected) focusBeforeDrop = document.activeElement === input;
    input.disabled = !connected;
    send.disabled = !connected;
    // Disabling the focused box drops focus to the page; put it back when the chat is back.
    if (connected && focusBeforeDrop) input.focus();
  }

  /**
   * Switches the message box between ordinary text and a hidden secret (a sign-in token): a
   * password-style box, no autocomplete, labelled for what it is. Only the next message is secret.
   * @param {boolean} secret
   */
  function setSecret(secret) {
    secretNext = secret;
    input.type = secret ? 'password' : 'text';
    input.maxLength = secret ? SECRET_MAX_LENGTH : MESSAGE_MAX_LENGTH;
    input.autocomplete = 'off';
    input.spellcheck = !secret;
    label.textContent = secret ? 'Token or secret (hidden as you type)' : ordinary.label;
    hint.textContent = secret ? 'It is not shown on screen or in the conversation.' : ordinary.hint;
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

  /** @param {'bot' | 'user'} who @param {string} text @param {boolean} [hidden] a secret, shown as dots */
  function addMessage(who, text, hidden = false) {
    const message = document.createElement('div');
    message.className = `message message--${who}`;
    const speaker = document.createElement('span');
    speaker.className = 'visually-hidden';
    speaker.textContent = who === 'bot' ? 'Assistant: ' : 'You: ';
    const bubble = document.createElement('div');
    bubble.className = 'bubble';
    bubble.dataset.testid = who === 'bot' ? 'bot-message' : 'user-message';
    if (hidden) {
      // Screen readers say "hidden", not "bullet bullet bullet bullet".
      const dots = document.createElement('span');
      dots.setAttribute('aria-hidden', 'true');
      dots.textContent = HIDDEN.slice(0, HIDDEN.indexOf(' '));
      bubble.append(dots, HIDDEN.slice(HIDDEN.indexOf(' ')));
      bubble.classList.add('bubble--hidden');
    } else {
      bubble.textContent = text;
    }
    message.append(speaker, bubble);
    transcript.append(message);
    scrollToLatest();
  }

  /** @param {Array<{ title: string, payload: string }>} replies */
  function showQuickReplies(replies) {
    const hadFocus = quickReplies.contains(document.activeElement);
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
    // A removed button takes focus with it; keep the keyboard in the chat.
    if (hadFocus && !input.disabled) input.focus();
    // New buttons push the message box down: keep it in view.
    if (replies.length > 0) scrollToLatest();
  }

  /**
   * @param {string} text what is sent to the bot
   * @param {string} [shown] what appears in the conversation, when it differs (a button's label)
   * @param {boolean} [hidden] a secret: shown as dots, never as what was typed
   * @returns {boolean} whether it was sent
   */
  function sendText(text, shown = text, hidden = false) {
    if (!socket || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify({ type: 'message', text }));
    if (hidden) addMessage('user', HIDDEN, true);
    else if (shown.trim().length > 0) addMessage('user', shown);
    setSecret(false);
    latestReplies = [];
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
    if (!frame) return;
    if (frame.type === 'session' && typeof frame.resume === 'string') {
      storeResume(frame.resume);
      if (frame.resumed === true) {
        setStatus('Connected again. You can carry on where you left off.');
        if (latestReplies.length > 0) showQuickReplies(latestReplies);
      } else {
        // A new conversation: whatever the old one was waiting for no longer applies.
        setSecret(false);
        latestReplies = [];
      }
      return;
    }
    if (frame.type !== 'message' || typeof frame.text !== 'string') return;
    setBusy(false);
    addMessage('bot', frame.text);
    if (frame.input === 'secret') setSecret(true);
    const replies = readQuickReplies(frame.quick_replies);
    if (replies.length > 0) {
      latestReplies = replies;
      showQuickReplies(replies);
    }
  }

  function connect() {
    const url = new URL('/chat', window.location.href);
    url.protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    const current = new WebSocket(url);
    socket = current;

    current.addEventListener('open', () => {
      reconnectDelay = RECONNECT_MIN_MS;
      // The token lets the bot carry on this tab's conversation (after a dropped connection, a
      // reload or a restart of the bot); the bot starts a new one if it is not valid.
      const resume = resumeInMemory ?? storedResume();
      current.send(JSON.stringify({ type: connectedBefore ? 'welcome_back' : 'hello', ...(resume ? { resume } : {}) }));
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
    if (sendText(input.value, input.value, secretNext)) input.value = '';
    input.focus();
  });

  connect();
})();

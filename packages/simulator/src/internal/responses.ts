/**
 * What the simulated API answers: each endpoint's answer from the dataset
 * (ids resolved, filters, paging with cursors bound to their query), its
 * error envelopes, and the requests' prefixes, routes and ids. Each edition's
 * handlers decode a request with the contract, then answer with these.
 *
 * Edition-neutral: no `effect` import, so both editions' simulators serve
 * the same bytes for the same seed and request from this one source.
 */
import * as Cursor from "./cursor.js"
import type { AttendeeWire, ChatWire, ChatWithLastMessageWire, Dataset, MessageWire } from "./dataset.js"

// -----------------------------------------------------------------------------
// envelopes
// -----------------------------------------------------------------------------

/** The body of a 404: a postpress error envelope. */
export interface NotFoundBody {
  readonly title: string
  readonly detail: string
  readonly type: "errors/resource_not_found" | "errors/invalid_resource_identifier"
  readonly status: 404
}

/** The body of a 400 (undocumented by the reference, so no contract schema declares it). */
export interface BadRequestBody {
  readonly title: "Bad Request"
  readonly detail: string
  readonly type: "errors/invalid_parameters"
  readonly status: 400
}

/** The body of a 401. */
export interface UnauthorizedBody {
  readonly title: "Unauthorized"
  readonly detail: string
  readonly type: "errors/missing_credentials" | "errors/invalid_credentials"
  readonly status: 401
}

/** A 404 for an id that is well-formed but matches nothing, or for a path that is no endpoint. */
export const notFound = (detail: string): NotFoundBody => ({
  title: "Not Found",
  detail,
  type: "errors/resource_not_found",
  status: 404
})

/** A 404 for a malformed id. */
export const invalidIdentifier = (detail: string): NotFoundBody => ({
  title: "Not Found",
  detail,
  type: "errors/invalid_resource_identifier",
  status: 404
})

/** A 400 for parameters the contract or the data refuses (a bad limit, a stale or foreign cursor). */
export const badRequest = (detail: string): BadRequestBody => ({
  title: "Bad Request",
  detail,
  type: "errors/invalid_parameters",
  status: 400
})

/** The 401 for an API key (`""` when none was sent), or `undefined` when it is accepted. */
export const authenticate = (apiKeys: ReadonlySet<string>, apiKey: string): UnauthorizedBody | undefined =>
  apiKey === ""
    ? {
      title: "Unauthorized",
      detail: "Send your API key in the X-API-KEY header.",
      type: "errors/missing_credentials",
      status: 401
    }
    : apiKeys.has(apiKey)
    ? undefined
    : {
      title: "Unauthorized",
      detail: "The API key is not valid.",
      type: "errors/invalid_credentials",
      status: 401
    }

/** The body of a 429, sent with `Retry-After: retryAfterSeconds`. */
export const tooManyRequests = (retryAfterSeconds: number) => ({
  title: "Too Many Requests",
  detail: `Retry after ${retryAfterSeconds} seconds.`,
  type: "errors/too_many_requests",
  status: 429
})

/** The body of an injected error: `title` is the status's documented title, `type` one of its documented types. */
export const injectedError = (status: number, title: string, type: string, requestId: string) => ({
  title,
  detail: "Injected by the postpress simulator.",
  instance: requestId,
  type,
  status
})

/** The HTML page of an injected 502, as a proxy sends it. */
export const htmlBadGateway = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx</center>
</body>
</html>
`

// -----------------------------------------------------------------------------
// requests
// -----------------------------------------------------------------------------

/** The prefixes the simulator answers under: the two the reference shows. */
export const PREFIXES: ReadonlyArray<string> = ["/api/v1", "/v1"]

/** A path's prefix and the rest; `prefix` is `undefined` when it has none of {@link PREFIXES}. */
export const splitPrefix = (pathname: string): { readonly prefix: string | undefined; readonly path: string } => {
  const prefix = PREFIXES.find((p) => pathname === p || pathname.startsWith(`${p}/`))
  return { prefix, path: prefix === undefined ? pathname : pathname.slice(prefix.length) }
}

/** Names the endpoint a path (without prefix) is for, from the contract's `/chats/:chat_id`-style paths. */
export const makeRouteMatcher = <Name extends string>(
  endpoints: Iterable<readonly [name: Name, path: string]>
): (path: string) => Name | undefined => {
  const routes = Array.from(
    endpoints,
    ([name, path]) => [name, new RegExp(`^${path.replace(/:[a-z_]+/g, "[^/]+")}$`)] as const
  )
  return (path) => routes.find(([, pattern]) => pattern.test(path))?.[0]
}

/** The `x-request-id` of the `n`th request (1-based) a simulator of `seed` served. */
export const requestId = (seed: number, n: number): string => `req_${seed}_${n}`

// -----------------------------------------------------------------------------
// endpoints
// -----------------------------------------------------------------------------

/** An endpoint's answer: its body with its status. Handlers send a 404 as the contract's error, a 400 as it is. */
export type Answer<A> =
  | { readonly status: 200; readonly body: A }
  | { readonly status: 404; readonly body: NotFoundBody }
  | { readonly status: 400; readonly body: BadRequestBody }

/** A page of a list endpoint. */
export interface Page<Object extends string, A> {
  readonly object: Object
  readonly items: ReadonlyArray<A>
  readonly cursor: string | null
}

/** A page's size when the request gives none. */
export const DEFAULT_LIMIT = 100

const ok = <A>(body: A): Answer<A> => ({ status: 200, body })
const fail = (body: NotFoundBody): Answer<never> => ({ status: 404, body })
const refuse = (body: BadRequestBody): Answer<never> => ({ status: 400, body })
const foreignCursor = () => refuse(badRequest("The cursor does not belong to this query"))

/** Resolves a chat id (postpress, or provider with `account_id`) to its index, or the 404 it gets. */
const resolveChat = (
  dataset: Dataset,
  chatId: string,
  accountId: string | undefined
): { readonly chat: number } | { readonly error: NotFoundBody } => {
  if (chatId.startsWith("chat_")) {
    const chat = dataset.lookupChat(chatId)
    if (chat === undefined) return { error: invalidIdentifier(`${chatId} is not a valid chat id`) }
    if (chat === null) return { error: notFound(`No chat ${chatId}`) }
    if (accountId !== undefined && dataset.accountId(dataset.accountOfChat(chat)) !== accountId) {
      return { error: notFound(`No chat ${chatId} in account ${accountId}`) }
    }
    return { chat }
  }
  if (accountId === undefined) {
    return {
      error: invalidIdentifier(`${chatId} is not a postpress chat id; pass account_id to resolve a provider chat id`)
    }
  }
  const chat = dataset.lookupChatByProviderId(chatId)
  return chat === undefined || dataset.accountId(dataset.accountOfChat(chat)) !== accountId
    ? { error: notFound(`No chat with provider id ${chatId} in account ${accountId}`) }
    : { chat }
}

/** `GET /chats/{chat_id}`. */
export const retrieveChat = (
  dataset: Dataset,
  request: { readonly chatId: string; readonly accountId?: string | undefined }
): Answer<ChatWithLastMessageWire> => {
  const resolved = resolveChat(dataset, request.chatId, request.accountId)
  if ("error" in resolved) return fail(resolved.error)
  const count = dataset.messageCount(resolved.chat)
  return ok({
    ...dataset.chat(resolved.chat),
    lastMessage: count === 0 ? null : dataset.message(resolved.chat, count - 1)
  })
}

/** `GET /chats/{chat_id}/attendees`: every attendee, self first, and never a cursor. */
export const listChatAttendees = (
  dataset: Dataset,
  request: { readonly chatId: string }
): Answer<Page<"ChatAttendeeList", AttendeeWire>> => {
  const resolved = resolveChat(dataset, request.chatId, undefined)
  if ("error" in resolved) return fail(resolved.error)
  return ok({ object: "ChatAttendeeList", items: dataset.members(resolved.chat).map(dataset.attendee), cursor: null })
}

/** The query of `GET /chats/{chat_id}/messages`, decoded (instants in epoch milliseconds). */
export interface ListMessagesRequest {
  readonly chatId: string
  readonly after?: number | undefined
  readonly before?: number | undefined
  readonly senderId?: string | undefined
  readonly limit?: number | undefined
  readonly cursor?: string | undefined
}

/** `GET /chats/{chat_id}/messages`: newest first, `before`/`after` exclusive, `sender_id` by id or provider id. */
export const listChatMessages = (
  dataset: Dataset,
  request: ListMessagesRequest
): Answer<Page<"MessageList", MessageWire>> => {
  const resolved = resolveChat(dataset, request.chatId, undefined)
  if ("error" in resolved) return fail(resolved.error)
  const { chat } = resolved
  const { after, before } = request
  const lo = after === undefined ? 0 : dataset.firstIndexAfter(chat, after, true)
  const hi = before === undefined ? dataset.messageCount(chat) : dataset.firstIndexAfter(chat, before, false)
  const fingerprint = `m:${chat}:${after}:${before}:${request.senderId}`
  let position = hi - 1
  if (request.cursor !== undefined) {
    const decoded = Cursor.decode(request.cursor, fingerprint)
    if (decoded === undefined || decoded >= hi || decoded < lo) return foreignCursor()
    position = decoded
  }
  const sender = request.senderId === undefined ? undefined : dataset.lookupAttendee(request.senderId)
  const limit = request.limit ?? DEFAULT_LIMIT
  const items: Array<MessageWire> = []
  if (sender !== null) {
    // with a sender filter, a page scans a bounded stretch: it may come back short, even empty, with a cursor
    let budget = Math.max(1_000, limit * 20)
    while (position >= lo && items.length < limit && budget-- > 0) {
      if (sender === undefined || dataset.senderOf(chat, position) === sender) {
        items.push(dataset.message(chat, position))
      }
      position--
    }
  } else {
    position = lo - 1
  }
  return ok({ object: "MessageList", items, cursor: position >= lo ? Cursor.encode(position, fingerprint) : null })
}

/** The query of `GET /chat_attendees/{attendee_id}/chats`, decoded (instants in epoch milliseconds). */
export interface ListAttendeeChatsRequest {
  readonly attendeeIds: ReadonlyArray<string>
  readonly accountIds?: ReadonlyArray<string> | undefined
  readonly after?: number | undefined
  readonly before?: number | undefined
  readonly limit?: number | undefined
  readonly cursor?: string | undefined
}

/** `GET /chat_attendees/{attendee_id}/chats`: the attendees' 1:1 chats, newest activity first. */
export const listAttendeeChats = (
  dataset: Dataset,
  request: ListAttendeeChatsRequest
): Answer<Page<"ChatList", ChatWire>> => {
  const attendees = new Set<number>()
  for (const id of request.attendeeIds) {
    const attendee = dataset.lookupAttendee(id)
    if (attendee === undefined) return fail(invalidIdentifier(`${id} is not a valid attendee id`))
    if (attendee === null) return fail(notFound(`No attendee ${id}`))
    attendees.add(attendee)
  }
  const accounts = request.accountIds === undefined ? undefined : new Set(request.accountIds)
  const { after, before } = request
  const matching = dataset.chatOrder.filter((chat) => {
    if (dataset.chatType(chat) !== 0) return false
    const [self, other] = dataset.members(chat)
    if (!attendees.has(self!) && !attendees.has(other!)) return false
    if (accounts !== undefined && !accounts.has(dataset.accountId(dataset.accountOfChat(chat)))) return false
    const last = dataset.lastActivityMs(chat)
    if (after !== undefined && (last === undefined || last <= after)) return false
    if (before !== undefined && (last === undefined || last >= before)) return false
    return true
  })
  const fingerprint = `c:${[...attendees].join(",")}:${[...(accounts ?? [])].join(",")}:${after}:${before}`
  let offset = 0
  if (request.cursor !== undefined) {
    const decoded = Cursor.decode(request.cursor, fingerprint)
    if (decoded === undefined || decoded < 0 || decoded >= matching.length) return foreignCursor()
    offset = decoded
  }
  const end = offset + (request.limit ?? DEFAULT_LIMIT)
  return ok({
    object: "ChatList",
    items: matching.slice(offset, end).map(dataset.chat),
    cursor: end < matching.length ? Cursor.encode(end, fingerprint) : null
  })
}

/** `GET /messages/{message_id}`. */
export const retrieveMessage = (dataset: Dataset, request: { readonly messageId: string }): Answer<MessageWire> => {
  const found = dataset.lookupMessage(request.messageId)
  if (found === undefined) return fail(invalidIdentifier(`${request.messageId} is not a valid message id`))
  if (found === null) return fail(notFound(`No message ${request.messageId}`))
  return ok(dataset.message(found[0], found[1]))
}

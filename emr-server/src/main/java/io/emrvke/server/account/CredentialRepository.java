package io.emrvke.server.account;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import io.emrvke.server.store.Ids;
import io.emrvke.server.store.SecretColumn;
import io.emrvke.server.store.StoreSecrets;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Access keys in the store, their secret keys sealed ({@link StoreSecrets}: a copy of the database
 * reveals none). {@link #find} runs on every request, so answers are kept for a short
 * time (1 s by default): a key disabled from another process (the {@code credentials} command)
 * stops working within that time, one disabled through this repository at once.
 */
public final class CredentialRepository implements CredentialLookup, CredentialAdmin {
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(1);
    public static final String ACCESS_KEY_PREFIX = "AKLT";
    private static final Pattern ACCESS_KEY = Pattern.compile("[A-Za-z0-9_.+=-]{4,128}");
    private static final Pattern SECRET_KEY = Pattern.compile("[\\x21-\\x7e]{1,256}");
    private static final Pattern USER_NAME = Pattern.compile("[\\p{L}\\p{N}_.@+-]{1,128}");
    private static final String AK_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String SK_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final int MAX_CACHED = 10_000;
    private static final String SUMMARY_COLUMNS =
            "access_key, account_id, user_id, user_name, role, enabled, create_time";
    private static final String COLUMNS = SUMMARY_COLUMNS + ", secret_key";
    private static final RowMapper<CredentialSummary> SUMMARY = (rs, ctx) -> new CredentialSummary(
            rs.getString("access_key"), rs.getLong("account_id"), rs.getLong("user_id"), rs.getString("user_name"),
            Role.parse(rs.getString("role")), rs.getBoolean("enabled"), rs.getLong("create_time"));
    // the secret key is stored sealed (StoreSecrets), bound to its access key
    private static final RowMapper<Credential> MAPPER = (rs, ctx) -> new Credential(
            rs.getString("access_key"), ctx.getConfig(StoreSecrets.class).open(SecretColumn.CREDENTIAL_SECRET_KEY,
                    rs.getString("secret_key"), rs.getString("access_key")),
            rs.getLong("account_id"), rs.getLong("user_id"), rs.getString("user_name"),
            Role.parse(rs.getString("role")), rs.getBoolean("enabled"), rs.getLong("create_time"));

    private final Jdbi jdbi;
    private final Clock clock;
    private final long cacheTtlNanos;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    public CredentialRepository(Jdbi jdbi) {
        this(jdbi, Clock.systemUTC(), DEFAULT_CACHE_TTL);
    }

    public CredentialRepository(Jdbi jdbi, Clock clock, Duration cacheTtl) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.cacheTtlNanos = cacheTtl.toNanos();
    }

    /**
     * Creates a credential, generating the key pair where not given.
     *
     * @throws IllegalArgumentException for a malformed key, user name or account id, or an access
     *                                  key that already exists (the message names which)
     */
    @Override
    public Credential create(NewCredential spec) {
        String accessKey = spec.accessKeyId() == null ? newAccessKey() : spec.accessKeyId();
        String secretKey = spec.secretKey() == null ? newSecretKey() : spec.secretKey();
        validate(spec, accessKey, secretKey);
        return jdbi.inTransaction(h -> {
            if (findIn(h, accessKey).isPresent()) {
                throw new IllegalArgumentException("The access key " + accessKey + " already exists.");
            }
            long userId = spec.userId() != null ? spec.userId() : userIdFor(h, spec.accountId(), spec.userName());
            Credential c = new Credential(accessKey, secretKey, spec.accountId(), userId, spec.userName(),
                    spec.role(), true, clock.millis());
            insert(h, c);
            return c;
        });
    }

    /**
     * Makes a credential exist exactly as given: created if absent, otherwise its secret, owner
     * and role replaced and the key enabled. Used for credentials an operator supplies.
     */
    public Credential put(NewCredential spec) {
        if (spec.accessKeyId() == null || spec.secretKey() == null || spec.userId() == null) {
            throw new IllegalArgumentException("put needs an access key, a secret key and a user id");
        }
        validate(spec, spec.accessKeyId(), spec.secretKey());
        Credential stored = jdbi.inTransaction(h -> {
            Optional<Credential> existing = findIn(h, spec.accessKeyId());
            long createTime = existing.map(Credential::createTime).orElse(clock.millis());
            Credential c = new Credential(spec.accessKeyId(), spec.secretKey(), spec.accountId(), spec.userId(),
                    spec.userName(), spec.role(), true, createTime);
            if (existing.isPresent()) {
                h.createUpdate("UPDATE credentials SET secret_key = :secretKey, account_id = :accountId,"
                                + " user_id = :userId, user_name = :userName, role = :role, enabled = TRUE"
                                + " WHERE access_key = :accessKeyId")
                        .bind("secretKey", sealed(h, c)).bind("accountId", c.accountId())
                        .bind("userId", c.userId()).bind("userName", c.userName())
                        .bind("role", c.role().wireName()).bind("accessKeyId", c.accessKeyId())
                        .execute();
            } else {
                insert(h, c);
            }
            return c;
        });
        cache.remove(stored.accessKeyId());
        return stored;
    }

    /** Every credential, oldest first, without secrets. */
    @Override
    public List<CredentialSummary> list() {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + SUMMARY_COLUMNS + " FROM credentials"
                        + " ORDER BY create_time, access_key")
                .map(SUMMARY).list());
    }

    /** Whether any credential of this account and user exists, enabled or not. */
    public boolean existsForUser(long accountId, long userId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM credentials"
                        + " WHERE account_id = :accountId AND user_id = :userId")
                .bind("accountId", accountId).bind("userId", userId)
                .mapTo(Long.class).one() > 0);
    }

    /** Disables a key; false when there is no such key. Takes effect here at once. */
    @Override
    public boolean disable(String accessKeyId) {
        return setEnabled(accessKeyId, false);
    }

    public boolean enable(String accessKeyId) {
        return setEnabled(accessKeyId, true);
    }

    /** The credential of a key (enabled or not), from the store or a copy at most the cache TTL old. */
    @Override
    public Optional<Credential> find(String accessKeyId) {
        if (accessKeyId == null) {
            return Optional.empty();
        }
        long now = System.nanoTime();
        Cached hit = cache.get(accessKeyId);
        if (hit != null && now - hit.loadedAt < cacheTtlNanos) {
            return hit.credential;
        }
        Optional<Credential> loaded = jdbi.withHandle(h -> findIn(h, accessKeyId));
        if (cache.size() >= MAX_CACHED) {
            // Unknown keys sent by strangers must not grow the cache without bound.
            cache.clear();
        }
        cache.put(accessKeyId, new Cached(loaded, now));
        return loaded;
    }

    /** A fresh access key: {@code AKLT} and 32 upper-case alphanumerics. */
    public static String newAccessKey() {
        return ACCESS_KEY_PREFIX + Ids.random(AK_ALPHABET, 32);
    }

    /** A fresh secret key: 40 alphanumerics. */
    public static String newSecretKey() {
        return Ids.random(SK_ALPHABET, 40);
    }

    private boolean setEnabled(String accessKeyId, boolean enabled) {
        int rows = jdbi.withHandle(h -> h.createUpdate("UPDATE credentials SET enabled = :enabled"
                        + " WHERE access_key = :accessKeyId")
                .bind("enabled", enabled).bind("accessKeyId", accessKeyId).execute());
        cache.remove(accessKeyId);
        return rows > 0;
    }

    private static Optional<Credential> findIn(Handle h, String accessKeyId) {
        return h.createQuery("SELECT " + COLUMNS + " FROM credentials WHERE access_key = :accessKeyId")
                .bind("accessKeyId", accessKeyId).map(MAPPER).findOne();
    }

    private static void insert(Handle h, Credential c) {
        h.createUpdate("INSERT INTO credentials (" + COLUMNS + ") VALUES (:accessKeyId, :accountId, :userId,"
                        + " :userName, :role, :enabled, :createTime, :secretKey)")
                .bind("accessKeyId", c.accessKeyId()).bind("secretKey", sealed(h, c))
                .bind("accountId", c.accountId()).bind("userId", c.userId())
                .bind("userName", c.userName()).bind("role", c.role().wireName())
                .bind("enabled", c.enabled()).bind("createTime", c.createTime())
                .execute();
    }

    /**
     * The id of a user known by name in the account, or a new one. The root user is user 1 of
     * its account; others get ids from 2 up so they never collide with it.
     */
    private static long userIdFor(Handle h, long accountId, String userName) {
        Optional<Long> known = h.createQuery("SELECT MIN(user_id) FROM credentials"
                        + " WHERE account_id = :accountId AND user_name = :userName")
                .bind("accountId", accountId).bind("userName", userName)
                .mapTo(Long.class).findOne();
        if (known.isPresent() && known.get() != null) {
            return known.get();
        }
        if (RootCredential.ROOT_USER_NAME.equals(userName)) {
            return RootCredential.ROOT_USER_ID;
        }
        Long max = h.createQuery("SELECT MAX(user_id) FROM credentials WHERE account_id = :accountId")
                .bind("accountId", accountId).mapTo(Long.class).findOne().orElse(null);
        return Math.max(max == null ? 0 : max + 1, RootCredential.ROOT_USER_ID + 1);
    }

    private static void validate(NewCredential spec, String accessKey, String secretKey) {
        if (spec.accountId() <= 0) {
            throw new IllegalArgumentException("The account id must be a positive number, got " + spec.accountId() + ".");
        }
        if (spec.userId() != null && spec.userId() <= 0) {
            throw new IllegalArgumentException("The user id must be a positive number, got " + spec.userId() + ".");
        }
        if (spec.userName() == null || !USER_NAME.matcher(spec.userName()).matches()) {
            throw new IllegalArgumentException("The user name must be 1-128 letters, digits or _.@+-, got '"
                    + spec.userName() + "'.");
        }
        if (spec.role() == null) {
            throw new IllegalArgumentException("The role must be admin or readonly.");
        }
        if (!ACCESS_KEY.matcher(accessKey).matches()) {
            throw new IllegalArgumentException("The access key must be 4-128 characters among letters, digits"
                    + " and _.+=-, got '" + accessKey + "'.");
        }
        if (!SECRET_KEY.matcher(secretKey).matches()) {
            // Never echo a secret, not even a malformed one.
            throw new IllegalArgumentException("The secret key must be 1-256 printable ASCII characters without spaces.");
        }
    }

    private static String sealed(Handle h, Credential c) {
        return h.getConfig(StoreSecrets.class).seal(SecretColumn.CREDENTIAL_SECRET_KEY, c.secretKey(), c.accessKeyId());
    }

    private record Cached(Optional<Credential> credential, long loadedAt) {
    }
}

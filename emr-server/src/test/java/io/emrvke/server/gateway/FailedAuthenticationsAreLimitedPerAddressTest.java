package io.emrvke.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.api.ErrorCode;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Failed authentications are limited per source address (a token bucket: a burst, then a rate per
 * minute). Over the limit, every request from that address gets 429 FlowLimitExceeded naming the
 * limit and when to retry, before its signature is checked; other addresses are served as usual.
 * The table of addresses stays bounded whatever the number of addresses.
 */
class FailedAuthenticationsAreLimitedPerAddressTest {
    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong nanos = new AtomicLong(5 * SECOND);

    @Test
    void anAddressIsBlockedAfterItsBurstAndHeardAgainAsTheBucketRefills() {
        AuthFailureLimiter limiter = new AuthFailureLimiter(60, 3, 100, nanos::get);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.blockedSeconds("10.0.0.1")).isZero();
            limiter.recordFailure("10.0.0.1");
        }
        assertThat(limiter.blockedSeconds("10.0.0.1")).as("blocked for one refill at 60/minute").isEqualTo(1);
        assertThat(limiter.blockedSeconds("10.0.0.2")).as("another address").isZero();

        nanos.addAndGet(SECOND);
        assertThat(limiter.blockedSeconds("10.0.0.1")).isZero();
        limiter.recordFailure("10.0.0.1");
        assertThat(limiter.blockedSeconds("10.0.0.1")).isEqualTo(1);
    }

    @Test
    void ipv6AddressesOfOneSlash64ShareABucket() {
        AuthFailureLimiter limiter = new AuthFailureLimiter(60, 2, 100, nanos::get);
        limiter.recordFailure("[2001:db8:1:2::10]");
        limiter.recordFailure("2001:db8:1:2:ffff::1");
        assertThat(limiter.blockedSeconds("2001:db8:1:2::99")).isPositive();
        assertThat(limiter.blockedSeconds("2001:db8:1:3::10")).isZero();
    }

    @Test
    void theTableStaysBoundedAndAnAddressThatNeverFailedIsNeverRefused() {
        AuthFailureLimiter limiter = new AuthFailureLimiter(60, 5, 100, nanos::get);
        for (int i = 0; i < 10_000; i++) {
            String address = "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
            for (int f = 0; f < 5; f++) {
                limiter.recordFailure(address);
            }
        }
        assertThat(limiter.trackedAddresses()).isLessThanOrEqualTo(100);
        assertThat(limiter.blockedSeconds("10.0.39.15")).as("the last to fail is still tracked").isPositive();
        assertThat(limiter.blockedSeconds("192.0.2.1")).as("never failed").isZero();

        nanos.addAndGet(60 * SECOND);
        limiter.recordFailure("192.0.2.1");
        assertThat(limiter.trackedAddresses()).as("refilled buckets make room first").isLessThanOrEqualTo(2);
    }

    @Test
    void overHttpAnAddressOverItsLimitGets429WithRetryAfterAndOthersAreServed() throws Exception {
        ClientLimits limits = ClientLimits.DEFAULTS.withAuthFailureLimit(12, 3);
        try (GatewayHarness gw = new GatewayHarness(GatewayConfig.defaults("127.0.0.1", 0).withRateLimit(0, 0)
                .withClientLimits(limits))) {
            TestSigner wrongSecret = new TestSigner(GatewayHarness.ADMIN_AK, "not-the-secret", "cn-beijing", gw.host());
            assertThat(gw.send(gw.admin().post("Echo", "{}")).status()).as("warm-up").isEqualTo(200);
            for (int i = 0; i < 3; i++) {
                RawHttp.Response failed = fromOtherAddress(gw, wrongSecret.post("Echo", "{}"));
                assertThat(failed.status()).as(failed.toString()).isEqualTo(401);
            }

            RawHttp.Response limited = fromOtherAddress(gw, gw.admin().post("Echo", "{}"));
            assertThat(limited.status()).as("even a good signature, unchecked: " + limited).isEqualTo(429);
            assertThat(limited.errorCode()).isEqualTo(ErrorCode.FLOW_LIMIT_EXCEEDED.code());
            long retryAfter = Long.parseLong(limited.header("Retry-After"));
            assertThat(retryAfter).as("one token back at 12 per minute").isBetween(1L, 5L);
            assertThat(limited.errorMessage()).contains("127.0.0.2").contains("3 at once, then 12 per minute")
                    .contains("retry in " + retryAfter + " s");
            assertThat(gw.send(gw.admin().post("Echo", "{}")).status()).as("from 127.0.0.1").isEqualTo(200);

            Thread.sleep(retryAfter * 1_000 + 100);
            assertThat(fromOtherAddress(gw, gw.admin().post("Echo", "{}")).status()).isEqualTo(200);
        }
    }

    private static RawHttp.Response fromOtherAddress(GatewayHarness gw, RawHttp.Request request) {
        return RawHttp.sendFrom("127.0.0.2", "127.0.0.1", gw.port(), request);
    }
}

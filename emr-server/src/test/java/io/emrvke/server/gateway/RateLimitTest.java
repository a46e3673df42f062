package io.emrvke.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emrvke.api.ApiException;
import io.emrvke.api.ErrorCode;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimitTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Test
    void burstIsServedThenTheKeyIsRefusedUntilTheBucketRefills() {
        RateLimiter limiter = new RateLimiter(10, 3, nanos::get);
        assertThat(limiter.tryAcquire("AK1")).isTrue();
        assertThat(limiter.tryAcquire("AK1")).isTrue();
        assertThat(limiter.tryAcquire("AK1")).isTrue();
        assertThat(limiter.tryAcquire("AK1")).isFalse();
        assertThatThrownBy(() -> limiter.acquire("AK1")).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.error()).isEqualTo(ErrorCode.FLOW_LIMIT_EXCEEDED));

        nanos.addAndGet(100_000_000L); // 0.1 s at 10/s: one token
        assertThat(limiter.tryAcquire("AK1")).isTrue();
        assertThat(limiter.tryAcquire("AK1")).isFalse();

        nanos.addAndGet(60_000_000_000L); // refills to the burst, not beyond
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.tryAcquire("AK1")).isTrue();
        }
        assertThat(limiter.tryAcquire("AK1")).isFalse();
    }

    @Test
    void eachAccessKeyHasItsOwnBucket() {
        RateLimiter limiter = new RateLimiter(1, 1, nanos::get);
        assertThat(limiter.tryAcquire("AK1")).isTrue();
        assertThat(limiter.tryAcquire("AK1")).isFalse();
        assertThat(limiter.tryAcquire("AK2")).isTrue();
    }

    @Test
    void zeroRateTurnsLimitingOff() {
        RateLimiter limiter = new RateLimiter(0, 0, nanos::get);
        for (int i = 0; i < 10_000; i++) {
            assertThat(limiter.tryAcquire("AK1")).isTrue();
        }
    }

    @Test
    void overHttpTheLimitIs429FlowLimitExceededAndRecovers() throws Exception {
        GatewayConfig config = GatewayConfig.defaults("127.0.0.1", 0).withRateLimit(5, 3);
        try (GatewayHarness gw = new GatewayHarness(config)) {
            int ok = 0;
            RawHttp.Response limited = null;
            for (int i = 0; i < 10 && limited == null; i++) {
                RawHttp.Response r = gw.send(gw.admin().post("Echo", "{}"));
                if (r.status() == 200) {
                    ok++;
                } else {
                    limited = r;
                }
            }
            assertThat(ok).isGreaterThanOrEqualTo(3);
            assertThat(limited).isNotNull();
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.errorCode()).isEqualTo("FlowLimitExceeded");
            assertThat(limited.json().path("ResponseMetadata").path("Error").path("CodeN").asInt()).isEqualTo(100018);
            // another key is not affected
            assertThat(gw.send(gw.reader().post("Echo", "{}")).status()).isEqualTo(200);

            Thread.sleep(400); // 5/s: two tokens back
            assertThat(gw.send(gw.admin().post("Echo", "{}")).status()).isEqualTo(200);
        }
    }
}

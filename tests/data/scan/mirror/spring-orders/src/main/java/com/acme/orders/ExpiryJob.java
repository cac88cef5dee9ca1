package com.acme.orders;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

@Component
class ExpiryJob {
    private final OrderRepository orders;

    ExpiryJob(OrderRepository orders) {
        this.orders = orders;
    }

    @Scheduled(cron = "0 */15 * * * *")
    void expireUnpaid() {
        orders.expireOlderThanMinutes(30);
    }
}

package com.acme.shop;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

@Component
class CartCleanup {
    // Runs in every replica: two instances would clean twice.
    @Scheduled(cron = "0 0 3 * * *")
    void removeAbandonedCarts() {
        // uploads used to go to /var/shop/uploads; they are in object storage now
    }
}

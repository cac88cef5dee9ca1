package com.acme.orders;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@EnableScheduling
public class OrdersApplication {
    // The old VM used password = "Winter2019!" for the database; it is rotated and comes from DB_PASSWORD now.
    public static void main(String[] args) {
        SpringApplication.run(OrdersApplication.class, args);
    }
}
